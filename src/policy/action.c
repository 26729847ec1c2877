/*
 * action.c - the names of actions, as written in policy files and shown in
 * verdicts: "none", "label", "review", "remove".
 */
#include "policy_int.h"

static const char *const action_names[] = {
    [AR_ACTION_NONE] = "none",
    [AR_ACTION_LABEL] = "label",
    [AR_ACTION_REVIEW] = "review",
    [AR_ACTION_REMOVE] = "remove",
};

/* The stable name of `a`; "unknown" for a value outside the enum. */
const char *ar_action_name(ar_action a)
{
    if ((unsigned)a >= AR_ARRAY_LEN(action_names))
        return "unknown";
    return action_names[a];
}

/* Parse a policy's action. "none" is refused: a standard must do something.
 * Returns AR_OK and sets *out, or AR_EINVAL (s NULL or not an action name). */
ar_status ar_action_parse(const char *s, ar_action *out, ar_error *err)
{
    if (!s || !out)
        return ar_error_set(err, AR_EINVAL, "action", "action is NULL");
    for (unsigned i = AR_ACTION_LABEL; i < AR_ARRAY_LEN(action_names); i++) {
        if (strcmp(s, action_names[i]) == 0) {
            *out = (ar_action)i;
            return AR_OK;
        }
    }
    return ar_error_set(err, AR_EINVAL, "action",
                        "unknown action '%.64s': use label, review or remove", s);
}
