/*
 * sor_rules.c - the DSA Transparency Database's vocabulary, from
 * app/Models/Statement.php and StatementStoreRequest.php (LEGAL.md section
 * 1.3), including the values the public fixture statements-enums.json
 * lacks (the *_OTHER values, KEYWORD_OTHER, IS/LI/NO, source_type,
 * automated_*, the 184 languages).
 */
#include "sor_int.h"
#include "policy/policy_int.h"

#define LIST(name, ...)                                                                            \
    static const char *const name##_v[] = {__VA_ARGS__};                                           \
    const ar__sor_enum ar__sor_##name = {name##_v, AR_ARRAY_LEN(name##_v)}

LIST(visibility, "DECISION_VISIBILITY_CONTENT_REMOVED", "DECISION_VISIBILITY_CONTENT_DISABLED",
     "DECISION_VISIBILITY_CONTENT_DEMOTED", "DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED",
     "DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED", "DECISION_VISIBILITY_CONTENT_LABELLED",
     "DECISION_VISIBILITY_OTHER");
LIST(monetary, "DECISION_MONETARY_SUSPENSION", "DECISION_MONETARY_TERMINATION",
     "DECISION_MONETARY_OTHER");
LIST(provision, "DECISION_PROVISION_PARTIAL_SUSPENSION", "DECISION_PROVISION_TOTAL_SUSPENSION",
     "DECISION_PROVISION_PARTIAL_TERMINATION", "DECISION_PROVISION_TOTAL_TERMINATION");
LIST(account, "DECISION_ACCOUNT_SUSPENDED", "DECISION_ACCOUNT_TERMINATED");
LIST(account_type, "ACCOUNT_TYPE_BUSINESS", "ACCOUNT_TYPE_PRIVATE");
LIST(ground, "DECISION_GROUND_ILLEGAL_CONTENT", "DECISION_GROUND_INCOMPATIBLE_CONTENT");
LIST(content_type, "CONTENT_TYPE_APP", "CONTENT_TYPE_AUDIO", "CONTENT_TYPE_IMAGE",
     "CONTENT_TYPE_PRODUCT", "CONTENT_TYPE_SYNTHETIC_MEDIA", "CONTENT_TYPE_TEXT",
     "CONTENT_TYPE_VIDEO", "CONTENT_TYPE_OTHER");
LIST(source, "SOURCE_ARTICLE_16", "SOURCE_TRUSTED_FLAGGER", "SOURCE_TYPE_OTHER_NOTIFICATION",
     "SOURCE_VOLUNTARY");
LIST(yes_no, "Yes", "No");
LIST(automated_decision, "AUTOMATED_DECISION_FULLY", "AUTOMATED_DECISION_PARTIALLY",
     "AUTOMATED_DECISION_NOT_AUTOMATED");
/* the categories and keywords a policy's standards declare, one list (src/policy/dsa.c) */
const ar__sor_enum ar__sor_category = {ar__dsa_categories, AR__DSA_NCATEGORIES};
const ar__sor_enum ar__sor_keyword = {ar__dsa_keywords, AR__DSA_NKEYWORDS};
/* EU27 (Greece is GR, not EL) and the EEA's IS, LI, NO */
LIST(eea, "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
     "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "IS", "LI",
     "NO");
/* ISO 639-1, upper case: EuropeanLanguagesService::ALL_LANGUAGES (184, with BH) */
LIST(language, "AA", "AB", "AE", "AF", "AK", "AM", "AN", "AR", "AS", "AV", "AY", "AZ", "BA", "BE",
     "BG", "BH", "BI", "BM", "BN", "BO", "BR", "BS", "CA", "CE", "CH", "CO", "CR", "CS", "CU",
     "CV", "CY", "DA", "DE", "DV", "DZ", "EE", "EL", "EN", "EO", "ES", "ET", "EU", "FA", "FF",
     "FI", "FJ", "FO", "FR", "FY", "GA", "GD", "GL", "GN", "GU", "GV", "HA", "HE", "HI", "HO",
     "HR", "HT", "HU", "HY", "HZ", "IA", "ID", "IE", "IG", "II", "IK", "IO", "IS", "IT", "IU",
     "JA", "JV", "KA", "KG", "KI", "KJ", "KK", "KL", "KM", "KN", "KO", "KR", "KS", "KU", "KV",
     "KW", "KY", "LA", "LB", "LG", "LI", "LN", "LO", "LT", "LU", "LV", "MG", "MH", "MI", "MK",
     "ML", "MN", "MR", "MS", "MT", "MY", "NA", "NB", "ND", "NE", "NG", "NL", "NN", "NO", "NR",
     "NV", "NY", "OC", "OJ", "OM", "OR", "OS", "PA", "PI", "PL", "PS", "PT", "QU", "RM", "RN",
     "RO", "RU", "RW", "SA", "SC", "SD", "SE", "SG", "SI", "SK", "SL", "SM", "SN", "SO", "SQ",
     "SR", "SS", "ST", "SU", "SV", "SW", "TA", "TE", "TG", "TH", "TI", "TK", "TL", "TN", "TO",
     "TR", "TS", "TT", "TW", "TY", "UG", "UK", "UR", "UZ", "VE", "VI", "VO", "WA", "WO", "XH",
     "YI", "YO", "ZA", "ZH", "ZU");

bool ar__sor_in(const ar__sor_enum *e, const char *s)
{
    for (size_t i = 0; s && i < e->n; i++)
        if (!strcmp(e->v[i], s))
            return true;
    return false;
}
