/*
 * openapi.c - the OpenAPI 3.1 document, generated from the route table
 * (paths, methods, parameters, security, request and response schemas) and
 * the component schemas below, so a route cannot exist without its entry.
 */
#include "http/http.h"

#include <jansson.h>
#include <string.h>

/* Component schemas, as JSON Schema 2020-12 (what OpenAPI 3.1 uses). */
static const struct {
    const char *name, *json;
} schemas[] = {
    {"Error",
     "{\"type\":\"object\",\"required\":[\"error\"],\"properties\":{\"error\":{\"type\":\"object\","
     "\"required\":[\"code\",\"message\",\"field\"],\"properties\":{"
     "\"code\":{\"type\":\"string\",\"description\":\"stable: invalid_argument, not_found, "
     "conflict, permission_denied, too_big, unauthenticated, method_not_allowed, rate_limited, "
     "unavailable, internal, ...\"},"
     "\"message\":{\"type\":\"string\"},\"field\":{\"type\":\"string\",\"description\":\"the "
     "field at fault, e.g. items[2].text; empty if none\"},"
     "\"diagnostics\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/Diagnostic\"}}"
     "}}}}"},
    {"Diagnostic",
     "{\"type\":\"object\",\"properties\":{\"file\":{\"type\":\"string\"},\"line\":{\"type\":"
     "\"integer\"},\"column\":{\"type\":\"integer\"},\"field\":{\"type\":\"string\"},\"message\":"
     "{\"type\":\"string\"}}}"},
    {"Health", "{\"type\":\"object\",\"properties\":{\"status\":{\"type\":\"string\"}}}"},
    {"CheckRequest",
     "{\"type\":\"object\",\"additionalProperties\":false,\"description\":\"text is required "
     "unless links, image_hashes or images come\",\"properties\":{"
     "\"images\":{\"type\":\"array\",\"maxItems\":4,\"items\":{\"type\":\"string\","
     "\"contentEncoding\":\"base64\",\"description\":\"a JPEG, PNG or WebP image in standard "
     "base64, at most 8 MiB decoded (the body limit applies too)\"},\"description\":\"hashed "
     "(PDQ) in all 8 rotations and mirrors and checked against bank rules; never stored or "
     "logged; an image of PDQ quality under 50 is not matched\"},"
     "\"links\":{\"type\":\"array\",\"maxItems\":100,\"items\":{\"type\":\"string\",\"maxLength\":"
     "2048},\"description\":\"http(s) URLs, checked against url_list rules like the URLs "
     "written in the text\"},\"image_hashes\":{\"type\":\"array\",\"maxItems\":16,\"items\":{"
     "\"type\":\"string\",\"pattern\":\"^[0-9A-Fa-f]{64}$\"},\"description\":\"PDQ hashes, "
     "checked against bank rules\"},"
     "\"id\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":256,\"description\":\"the "
     "platform's item id, echoed back\"},"
     "\"text\":{\"type\":\"string\",\"description\":\"UTF-8; the body is at most 1 MiB\"},"
     "\"lang\":{\"type\":\"string\",\"maxLength\":35,\"pattern\":\"^[A-Za-z0-9-]+$\"},"
     "\"record\":{\"type\":\"boolean\",\"description\":\"keep the verdict as the policy says "
     "(a review case or an automated decision; needs id); the text is kept sealed for "
     "reviewers for 90 days\"},\"kind\":{\"enum\":[\"post\",\"comment\",\"image\",\"link\","
     "\"account\",\"other\"]},\"url\":{\"type\":\"string\",\"maxLength\":2048},"
     "\"author_ref\":{\"type\":\"string\",\"maxLength\":256,\"description\":\"opaque\"}}}"},
    {"CheckBatchRequest",
     "{\"type\":\"object\",\"required\":[\"items\"],\"additionalProperties\":false,\"properties\":{"
     "\"items\":{\"type\":\"array\",\"minItems\":1,\"maxItems\":1000,\"items\":{\"$ref\":"
     "\"#/components/schemas/CheckRequest\"}}}}"},
    {"Verdict",
     "{\"type\":\"object\",\"required\":[\"flagged\",\"action\",\"matches\",\"policy\"],"
     "\"properties\":{\"id\":{\"type\":\"string\"},\"flagged\":{\"type\":\"boolean\"},"
     "\"action\":{\"enum\":[\"none\",\"label\",\"review\",\"remove\"]},"
     "\"matches\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
     "\"standard\":{\"type\":\"string\"},\"rule\":{\"type\":\"string\"},\"start\":{\"type\":"
     "\"integer\",\"description\":\"byte offset in the text as sent\"},\"end\":{\"type\":"
     "\"integer\"},\"link\":{\"type\":\"integer\",\"description\":\"index in links\"},"
     "\"image_hash\":{\"type\":\"integer\",\"description\":\"index in image_hashes\"},"
     "\"image\":{\"type\":\"integer\",\"description\":\"index in images\"},\"variant\":{"
     "\"enum\":[\"original\",\"rotate90\",\"rotate180\",\"rotate270\",\"flipx\",\"flipy\","
     "\"flipplus1\",\"flipminus1\"],\"description\":\"images: the rotation or mirror of "
     "the image nearest the bank's hash\"},\"list\":{"
     "\"type\":\"string\"},\"entry\":{\"type\":\"string\",\"description\":\"the list entry "
     "that matched\"},\"distance\":{\"type\":\"integer\",\"description\":\"Hamming distance "
     "to the bank's hash\"}}}},\"images\":{\"type\":\"array\",\"description\":\"one per "
     "image sent: its PDQ hash (original orientation) and quality; skipped: low_quality when "
     "it was not matched\",\"items\":{\"type\":\"object\",\"properties\":{\"pdq\":{\"type\":"
     "\"string\",\"pattern\":\"^[0-9a-f]{64}$\"},\"quality\":{\"type\":\"integer\"},"
     "\"skipped\":{\"enum\":[\"low_quality\"]}}}},\"matches_dropped\":{\"type\":\"integer\"},\"repaired_utf8\":{\"type\":"
     "\"boolean\"},\"policy\":{\"type\":\"string\",\"description\":\"digest of the policy that "
     "decided\"}}}"},
    {"CheckBatchResponse",
     "{\"type\":\"object\",\"properties\":{\"results\":{\"type\":\"array\",\"items\":{\"$ref\":"
     "\"#/components/schemas/Verdict\"}}}}"},
    {"Visibility",
     "{\"type\":\"object\",\"properties\":{\"item\":{\"type\":\"string\"},\"country\":{\"type\":"
     "\"string\",\"pattern\":\"^[A-Z]{2}$\"},\"state\":{\"enum\":[\"visible\",\"restricted\","
     "\"removed\"],\"description\":\"without a country: removed (everywhere), restricted (in "
     "restricted_in) or visible (everywhere)\"},\"restricted_in\":{\"type\":\"array\","
     "\"description\":\"only without a country: the countries the item is withheld in, "
     "sorted\",\"items\":{\"type\":\"string\",\"pattern\":\"^[A-Z]{2}$\"}}}}"},
    {"VisibilityBatchRequest",
     "{\"type\":\"object\",\"required\":[\"items\"],\"additionalProperties\":false,\"properties\":{"
     "\"country\":{\"type\":\"string\",\"pattern\":\"^[A-Za-z]{2}$\",\"description\":\"default "
     "for items without one\"},\"items\":{\"type\":\"array\",\"minItems\":1,\"maxItems\":1000,"
     "\"items\":{\"type\":\"object\",\"required\":[\"item\"],\"additionalProperties\":false,"
     "\"properties\":{\"item\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":256},"
     "\"country\":{\"type\":\"string\",\"pattern\":\"^[A-Za-z]{2}$\"}}}}}}"},
    {"VisibilityBatchResponse",
     "{\"type\":\"object\",\"properties\":{\"results\":{\"type\":\"array\",\"items\":{\"$ref\":"
     "\"#/components/schemas/Visibility\"}}}}"},
    {"PolicyInfo",
     "{\"type\":\"object\",\"properties\":{\"digest\":{\"type\":\"string\"},\"name\":{\"type\":"
     "\"string\"},\"patterns\":{\"type\":\"integer\"},\"standards\":{\"type\":\"array\",\"items\":"
     "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"},\"title\":{\"type\":"
     "\"string\"},\"action\":{\"type\":\"string\"},\"rules\":{\"type\":\"integer\"}}}}}}"},
    {"PolicyText",
     "{\"type\":\"string\",\"description\":\"a policy file (YAML, see policies/README.md); "
     "terms_file and allow_file are refused over HTTP\"}"},
    {"CaseEscalate",
     "{\"type\":\"object\",\"required\":[\"reason\"],\"additionalProperties\":false,"
     "\"properties\":{\"reason\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":5000}}}"},
    {"Report",
     "{\"type\":\"object\",\"description\":\"the transparency report; its tables and "
     "columns are documented in docs/TRANSPARENCY.md (schema field: the version)\"}"},
    /* The workflow's schemas (generated once from a description; edit freely). */
    {"ItemDecisions",
     "{\"type\":\"object\",\"properties\":{\"item\":{\"type\":\"string\"},\"decisions\":{\"type\":\"array\","
     "\"items\":{\"$ref\":\"#/components/schemas/Decision\"}}}}"},
    {"Decision",
     "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"action\":{\"enum\":[\"none\",\"lab"
     "el\",\"restrict\",\"remove\",\"suspend_account\"]},\"scope\":{\"type\":\"string\",\"description\":\""
     "global, or ISO 3166-1 alpha-2 codes: IN,PK\"},\"ground_kind\":{\"enum\":[\"standard\",\"lega"
     "l\"]},\"ground\":{\"type\":\"string\"},\"source\":{\"enum\":[\"automated\",\"moderator\",\"legal_ord"
     "er\",\"notice\",\"appeal\"]},\"automated_detection\":{\"type\":\"integer\"},\"automated_decision"
     "\":{\"type\":\"integer\"},\"decided_by\":{\"type\":\"string\"},\"decided_at\":{\"type\":\"integer\",\""
     "description\":\"Unix seconds\"},\"statement\":{\"type\":\"string\"},\"supersedes\":{\"type\":\"int"
     "eger\"},\"superseded_by\":{\"type\":\"integer\"},\"notice\":{\"type\":\"string\",\"description\":\"u"
     "ser notice: pending, sent, withheld\"}}}"},
    {"CaseList",
     "{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/CaseRow\"}}"},
    {"CaseRow",
     "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"kind\":{\"enum\":[\"flag\",\"notic"
     "e\",\"appeal\"]},\"item\":{\"type\":\"string\"},\"state\":{\"enum\":[\"open\",\"in_review\",\"decided\""
     ",\"closed\"]},\"standard\":{\"type\":\"string\"},\"assignee\":{\"type\":\"string\"},\"priority\":{\"t"
     "ype\":\"integer\"},\"deadline_at\":{\"type\":\"integer\"},\"created_at\":{\"type\":\"integer\"},\"de"
     "cided_at\":{\"type\":\"integer\"},\"source\":{\"enum\":[\"automated\",\"user_notice\","
     "\"trusted_flagger\",\"legal\",\"appeal\"],\"description\":\"where the case came from: a rule, "
     "a user's notice, a trusted flagger's, an authority's, an appeal\"},\"lang\":{\"type\":"
     "[\"string\",\"null\"],\"description\":\"the item's language, a BCP 47 primary tag\"}}}"},
    {"Case",
     "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":[\"string\",\"null\"],"
     "\"description\":\"the item's text while its sealed evidence lasts; match offsets are "
     "bytes into it\"},\"text_expires_at\":{\"type\":[\"integer\",\"null\"]},"
     "\"text_error\":{\"type\":\"string\"},\"id\":{\"type\":\"integer\"},\"kind\":{\"enum\":[\"flag\",\"notic"
     "e\",\"appeal\"]},\"item\":{\"type\":\"string\"},\"state\":{\"enum\":[\"open\",\"in_review\",\"decided\""
     ",\"closed\"]},\"standard\":{\"type\":\"string\"},\"assignee\":{\"type\":\"string\"},\"priority\":{\"t"
     "ype\":\"integer\"},\"deadline_at\":{\"type\":\"integer\"},\"created_at\":{\"type\":\"integer\"},\"de"
     "cided_at\":{\"type\":\"integer\"},\"detail\":{\"description\":\"the verdict's matches, or the "
     "notice's explanation\"},\"item_kind\":{\"type\":\"string\"},\"item_url\":{\"type\":\"string\"},\"n"
     "otice\":{\"type\":[\"object\",\"null\"]},\"appeal\":{\"type\":[\"object\",\"null\"]},\"decisions\":{\""
     "type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/Decision\"}},\"decision\":{\"type\":\""
     "integer\",\"description\":\"the decision just made\"}}}"},
    {"CaseAssign",
     "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{\"assignee\":{\"type\":\"stri"
     "ng\",\"maxLength\":64,\"description\":\"a staff login; default: the caller\"}}}"},
    {"CaseDecision",
     "{\"type\":\"object\",\"required\":[\"action\",\"statement\"],\"additionalProperties\":false,\"pro"
     "perties\":{\"action\":{\"enum\":[\"none\",\"label\",\"remove\",\"suspend_account\",\"restrict\"]},\""
     "standard\":{\"type\":\"string\"},\"countries\":{\"type\":\"string\",\"description\":\"restrict onl"
     "y: PK or PK,IN\"},\"legal_basis\":{\"type\":\"string\",\"description\":\"restrict only\"},\"stat"
     "ement\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":5000},\"withhold_basis\":{\"type\":\"st"
     "ring\"},\"withhold_until\":{\"type\":\"string\",\"format\":\"date-time\"}}}"},
    {"Notice",
     "{\"type\":\"object\",\"required\":[\"item\",\"notifier_kind\",\"category\",\"explanation\",\"locati"
     "on\",\"good_faith\"],\"additionalProperties\":false,\"properties\":{\"item\":{\"type\":\"object\""
     ",\"required\":[\"id\"],\"additionalProperties\":false,\"properties\":{\"id\":{\"type\":\"string\","
     "\"minLength\":1,\"maxLength\":256},\"url\":{\"type\":\"string\",\"maxLength\":2048},\"kind\":{\"enu"
     "m\":[\"post\",\"comment\",\"image\",\"link\",\"account\",\"other\"]},\"author_ref\":{\"type\":\"string"
     "\",\"maxLength\":256,\"description\":\"opaque\"},\"text\":{\"type\":\"string\","
     "\"description\":\"the reported text, kept sealed for reviewers for 90 days\"},"
     "\"lang\":{\"type\":\"string\",\"maxLength\":35,\"description\":\"the item's language, a BCP 47 "
     "tag (\\\"ur-PK\\\"); its primary subtag is kept for the queue's language filter\"}}},"
     "\"notifier_kind\":{\"enum\":[\"user\",\"trusted"
     "_flagger\",\"authority\"]},\"notifier_ref\":{\"type\":\"string\",\"maxLength\":256,\"description"
     "\":\"opaque; never shown to reviewers\"},\"category\":{\"type\":\"string\",\"maxLength\":128,\"d"
     "escription\":\"a standard id, or illegal:<law>\"},\"explanation\":{\"type\":\"string\",\"maxLe"
     "ngth\":5000},\"location\":{\"type\":\"string\",\"maxLength\":2048},\"good_faith\":{\"type\":\"bool"
     "ean\"}}}"},
    {"Created",
     "{\"type\":\"object\",\"properties\":{\"case\":{\"type\":\"integer\"}}}"},
    {"Appeal",
     "{\"type\":\"object\",\"required\":[\"decision\",\"grounds\"],\"additionalProperties\":false,\"pro"
     "perties\":{\"decision\":{\"type\":\"integer\",\"minimum\":1},\"appellant_kind\":{\"enum\":[\"affec"
     "ted_user\",\"notifier\",\"authority\"]},\"grounds\":{\"type\":\"string\",\"minLength\":1,\"maxLeng"
     "th\":5000}}}"},
    {"AppealDecision",
     "{\"type\":\"object\",\"required\":[\"outcome\",\"statement\"],\"additionalProperties\":false,\"pr"
     "operties\":{\"outcome\":{\"enum\":[\"upheld\",\"reversed\"]},\"statement\":{\"type\":\"string\",\"mi"
     "nLength\":1,\"maxLength\":5000}}}"},
    {"RequestList",
     "{\"type\":\"array\",\"items\":{\"type\":\"object\"}}"},
    {"LegalRequest",
     "{\"type\":\"object\",\"required\":[\"authority\",\"legal_basis\",\"kind\",\"received_at\",\"items\"]"
     ",\"additionalProperties\":false,\"properties\":{\"authority\":{\"type\":\"object\",\"required\":"
     "[\"name\",\"country\",\"branch\"],\"additionalProperties\":false,\"properties\":{\"name\":{\"type"
     "\":\"string\",\"maxLength\":200},\"country\":{\"type\":\"string\",\"pattern\":\"^[A-Z]{2}$\"},\"bran"
     "ch\":{\"enum\":[\"court\",\"prosecutor\",\"police\",\"regulator\",\"ministry_executive\",\"legisla"
     "ture\",\"military\",\"intelligence\",\"electoral_body\",\"other\"]}}},\"legal_basis\":{\"type\":\""
     "object\",\"required\":[\"instrument\",\"provision\"],\"additionalProperties\":false,\"properti"
     "es\":{\"instrument\":{\"type\":\"string\",\"maxLength\":200},\"provision\":{\"type\":\"string\",\"ma"
     "xLength\":200}}},\"kind\":{\"enum\":[\"content_restriction\",\"user_data\",\"preservation\",\"em"
     "ergency\"]},\"received_at\":{\"type\":\"string\",\"format\":\"date-time\"},\"items\":{\"type\":\"arr"
     "ay\",\"minItems\":1,\"maxItems\":10000,\"items\":{\"type\":\"object\",\"required\":[\"id\"],\"additi"
     "onalProperties\":false,\"properties\":{\"id\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":"
     "256},\"url\":{\"type\":\"string\",\"maxLength\":2048},\"kind\":{\"type\":\"string\"}}}},\"external_"
     "ref\":{\"type\":\"string\",\"maxLength\":200},\"emergency\":{\"type\":\"boolean\"},\"document_hash"
     "\":{\"type\":\"string\",\"pattern\":\"^sha256:[0-9a-f]{64}$\"}}}"},
    {"RequestView",
     "{\"type\":\"object\",\"description\":\"the request, its deadline, and each item's outcome; "
     "four_eyes: whether item decisions now need a second legal reviewer; per item, a proposal "
     "awaiting sign-off (proposed_outcome, proposed_by, proposed_at, ...), signed_off_by and "
     "last_rejection\",\"properties\":{\"four_eyes\":{\"type\":\"boolean\"},\"decision\":{\"type\":"
     "\"integer\",\"description\":\"the decision just made, if any\"},\"items\":{\"type\":\"array\","
     "\"items\":{\"type\":\"object\",\"properties\":{\"item\":{\"type\":\"string\"},\"outcome\":{"
     "\"type\":[\"string\",\"null\"]},\"proposed_outcome\":{\"type\":[\"string\",\"null\"]},"
     "\"proposed_by\":{\"type\":[\"string\",\"null\"]},\"proposed_at\":{\"type\":[\"integer\","
     "\"null\"]},\"signed_off_by\":{\"type\":[\"string\",\"null\"]},\"last_rejection\":{\"type\":"
     "[\"string\",\"null\"]}}}}}}"},
    {"ProposalSignOff",
     "{\"type\":\"object\",\"required\":[\"item\"],\"additionalProperties\":false,\"properties\":{"
     "\"item\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":256}}}"},
    {"ProposalReject",
     "{\"type\":\"object\",\"required\":[\"item\",\"reason\"],\"additionalProperties\":false,"
     "\"properties\":{\"item\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":256},\"reason\":"
     "{\"type\":\"string\",\"minLength\":1,\"maxLength\":1000}}}"},
    {"ItemOutcome",
     "{\"type\":\"object\",\"required\":[\"item\",\"outcome\"],\"additionalProperties\":false,\"propert"
     "ies\":{\"item\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":256},\"outcome\":{\"enum\":[\"res"
     "trict\",\"remove\",\"decline\",\"need_info\",\"disclose\",\"preserve\"]},\"reason\":{\"type\":\"stri"
     "ng\",\"description\":\"decline: no_legal_basis, overbroad, not_identifiable, not_our_con"
     "tent, rights_concern\"},\"standard\":{\"type\":\"string\",\"description\":\"remove: the commun"
     "ity standard broken\"},\"statement\":{\"type\":\"string\",\"maxLength\":5000},\"data_categorie"
     "s\":{\"type\":\"string\",\"description\":\"disclose: categories only, never the data\"},\"acco"
     "unts\":{\"type\":\"integer\",\"minimum\":0},\"withhold_basis\":{\"type\":\"string\"},\"withhold_un"
     "til\":{\"type\":\"string\",\"format\":\"date-time\"}}}"},
    {"AuditReport",
     "{\"type\":\"object\",\"properties\":{\"result\":{\"type\":\"string\"},\"intact\":{\"type\":\"boolean\""
     "},\"first_bad_seq\":{\"type\":\"integer\"},\"events\":{\"type\":\"integer\"},\"checkpoints\":{\"typ"
     "e\":\"integer\"},\"last_checkpoint\":{\"type\":\"integer\"},\"unsigned_tail\":{\"type\":\"integer\""
     "},\"message\":{\"type\":\"string\"},\"id\":{\"type\":\"integer\",\"description\":\"the kept "
     "record of this run\"},\"ran_by\":{\"type\":\"string\"}}}"},
    {"AuditVerificationList",
     "{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/AuditVerification\"}}"},
    {"AuditVerification",
     "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"ran_at\":{\"type\":"
     "\"integer\",\"description\":\"Unix seconds\"},\"ran_by\":{\"type\":\"string\",\"description\":"
     "\"a staff login, or cli\"},\"result\":{\"type\":\"string\"},\"intact\":{\"type\":\"boolean\"},"
     "\"events\":{\"type\":\"integer\"},\"checkpoints\":{\"type\":\"integer\"},\"last_checkpoint\":"
     "{\"type\":\"integer\"},\"unsigned_tail\":{\"type\":\"integer\"},\"first_bad_seq\":{\"type\":"
     "[\"integer\",\"null\"]},\"message\":{\"type\":\"string\"}}}"},
    {"SignIn",
     "{\"type\":\"object\",\"required\":[\"login\",\"password\"],\"additionalProperties\":false,\"prope"
     "rties\":{\"login\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":64},\"password\":{\"type\":\"s"
     "tring\",\"minLength\":1,\"maxLength\":1024}}}"},
    {"Session",
     "{\"type\":\"object\",\"properties\":{\"login\":{\"type\":\"string\"},\"role\":{\"type\":\"string\"},\"e"
     "xpires_at\":{\"type\":\"string\",\"format\":\"date-time\"},\"csrf_token\":{\"type\":\"string\",\"des"
     "cription\":\"send as X-CSRF-Token on every request that changes something\"}}}"},
    {"SignedOut",
     "{\"type\":\"object\",\"properties\":{\"signed_out\":{\"type\":\"boolean\"}}}"},
    {"TokenList",
     "{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"name"
     "\":{\"type\":\"string\"},\"roles\":{\"type\":\"string\"},\"staff\":{\"type\":\"string\"},\"created_at\""
     ":{\"type\":\"integer\"},\"revoked_at\":{\"type\":\"integer\"}}}}"},
    {"TokenCreate",
     "{\"type\":\"object\",\"required\":[\"roles\"],\"additionalProperties\":false,\"properties\":{\"na"
     "me\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":64},\"roles\":{\"type\":\"array\",\"minItems"
     "\":1,\"items\":{\"enum\":[\"client\",\"moderator\",\"legal\",\"admin\",\"auditor\"]}},\"staff\":{\"typ"
     "e\":\"string\",\"maxLength\":64,\"description\":\"the staff login the token acts for\"}}}"},
    {"TokenCreated",
     "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"name\":{\"type\":\"string\"},\"rol"
     "es\":{\"type\":\"string\"},\"staff\":{\"type\":\"string\"},\"token\":{\"type\":\"string\",\"descriptio"
     "n\":\"shown only this once\"}}}"},
    {"TokenRevoked",
     "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"revoked\":{\"type\":\"boolean\"}}"
     "}"},
    {"StaffAdd",
     "{\"type\":\"object\",\"required\":[\"login\",\"role\"],\"additionalProperties\":false,\"propertie"
     "s\":{\"login\":{\"type\":\"string\",\"pattern\":\"^[A-Za-z0-9._-]{1,64}$\"},\"role\":{\"enum\":[\"mo"
     "derator\",\"legal\",\"admin\",\"auditor\"]},\"password\":{\"type\":\"string\",\"minLength\":12,\"max"
     "Length\":1024}}}"},
    {"Staff",
     "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"login\":{\"type\":\"string\"},\"ro"
     "le\":{\"type\":\"string\"}}}"},
    {"SignalLists",
     "{\"type\":\"object\",\"properties\":{\"lists\":{\"type\":\"array\",\"items\":{\"$ref\":"
     "\"#/components/schemas/SignalList\"}}}}"},
    {"SignalList",
     "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},\"kind\":{\"enum\":"
     "[\"url\",\"pdq\"]},\"description\":{\"type\":[\"string\",\"null\"]},\"entries\":{"
     "\"description\":\"a count in lists, the entries in one list's view\"},\"created_at\":{"
     "\"type\":\"integer\"},\"created_by\":{\"type\":\"string\"}}}"},
    {"SignalListCreate",
     "{\"type\":\"object\",\"required\":[\"name\"],\"additionalProperties\":false,\"properties\":"
     "{\"name\":{\"type\":\"string\",\"pattern\":\"^[a-z0-9_.-]{1,64}$\"},\"description\":{"
     "\"type\":\"string\",\"maxLength\":1024}}}"},
    {"SignalListEntries",
     "{\"type\":\"array\",\"minItems\":1,\"maxItems\":10000,\"items\":{\"oneOf\":[{\"type\":"
     "\"string\"},{\"type\":\"object\",\"required\":[\"value\"],\"additionalProperties\":false,"
     "\"properties\":{\"value\":{\"type\":\"string\",\"description\":\"a URL expression "
     "(evil.example/), a URL, or a PDQ hash (64 hex digits)\"},\"note\":{\"type\":\"string\","
     "\"maxLength\":1024}}}]}}"},
    {"SignalListImport",
     "{\"type\":\"string\",\"description\":\"one entry per line, optionally followed by a note; "
     "'#' starts a comment\"}"},
    {"SignalListReport",
     "{\"type\":\"object\",\"properties\":{\"added\":{\"type\":\"integer\"},\"already_present\":"
     "{\"type\":\"integer\"},\"invalid\":{\"type\":\"integer\"}}}"},
    {"SignalListDeleted", "{\"type\":\"object\",\"properties\":{\"deleted\":{\"type\":\"string\"}}}"},
    {"SignalListRemoved", "{\"type\":\"object\",\"properties\":{\"removed\":{\"type\":\"string\"}}}"},
    {"HmaUpload",
     "{\"type\":\"object\",\"required\":[\"photo\"],\"properties\":{\"photo\":{\"type\":\"string\",\"contentMediaType\":\"application/octet-stream\",\"description\":\"one JPEG, PNG or WebP file; the field name is HMA's content type\"}}}"},
    {"HmaContentUpload",
     "{\"type\":\"object\",\"required\":[\"photo\"],\"properties\":{\"photo\":{\"type\":\"string\",\"contentMediaType\":\"application/octet-stream\"},\"note\":{\"type\":\"string\",\"maxLength\":255}}}"},
    {"HmaHash",
     "{\"type\":\"object\",\"properties\":{\"pdq\":{\"type\":\"string\",\"pattern\":\"^[0-9A-Fa-f]{64}$\"}}}"},
    {"HmaMatch",
     "{\"type\":\"object\",\"properties\":{\"bank_content_id\":{\"type\":\"integer\"},\"distance\":{\"type\":\"string\"}}}"},
    {"HmaRawLookup",
     "{\"type\":\"object\",\"properties\":{\"matches\":{\"type\":\"array\",\"items\":{\"oneOf\":[{\"type\":\"integer\"},{\"$ref\":\"#/components/schemas/HmaMatch\"}]}}}}"},
    {"HmaLookup",
     "{\"type\":\"object\",\"additionalProperties\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/HmaMatch\"}},\"description\":\"matches by bank name\"}"},
    {"HmaLookupUpload",
     "{\"type\":\"object\",\"properties\":{\"pdq\":{\"$ref\":\"#/components/schemas/HmaLookup\"}}}"},
    {"HmaCompareRequest",
     "{\"type\":\"object\",\"required\":[\"pdq\"],\"additionalProperties\":false,\"properties\":{\"pdq\":{\"type\":\"array\",\"minItems\":2,\"maxItems\":2,\"items\":{\"type\":\"string\",\"pattern\":\"^[0-9A-Fa-f]{64}$\"}}}}"},
    {"HmaCompare",
     "{\"type\":\"object\",\"properties\":{\"pdq\":{\"type\":\"array\",\"prefixItems\":[{\"type\":\"boolean\"},{\"type\":\"object\",\"properties\":{\"distance\":{\"type\":\"integer\"}}}]}}}"},
    {"HmaIndexStatus",
     "{\"type\":\"object\",\"properties\":{\"pdq\":{\"type\":\"object\",\"properties\":{\"present\":{\"type\":\"boolean\"},\"built_to\":{\"type\":\"integer\"},\"size\":{\"type\":\"integer\"}}}}}"},
    {"HmaBank",
     "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\",\"pattern\":\"^[A-Z0-9_]{1,64}$\"},\"matching_enabled_ratio\":{\"const\":1.0}}}"},
    {"HmaBanks",
     "{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/HmaBank\"}}"},
    {"HmaBankCreate",
     "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{\"name\":{\"type\":\"string\",\"pattern\":\"^[A-Z0-9_]{1,64}$\"},\"enabled_ratio\":{\"const\":1.0},\"matching_enabled_ratio\":{\"const\":1.0},\"enabled\":{\"const\":true}}}"},
    {"HmaSignal",
     "{\"type\":\"object\",\"required\":[\"pdq\"],\"additionalProperties\":false,\"properties\":{\"pdq\":{\"type\":\"string\",\"pattern\":\"^[0-9A-Fa-f]{64}$\"}}}"},
    {"HmaContent",
     "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"signals\":{\"type\":\"object\",\"properties\":{\"pdq\":{\"type\":\"string\",\"pattern\":\"^[0-9A-Fa-f]{64}$\"}}}}}"},
    {"HmaContentShow",
     "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"bank\":{\"type\":\"string\"},\"enabled\":{\"const\":true},\"original_media_uri\":{\"type\":\"null\"},\"signals\":{\"type\":\"object\",\"properties\":{\"pdq\":{\"type\":\"string\"}}}}}"},
    {"HmaDeleted",
     "{\"type\":\"object\",\"properties\":{\"deleted\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":1}}}"},
    {"HmaMessage",
     "{\"type\":\"object\",\"properties\":{\"message\":{\"type\":\"string\"}}}"},
};

static json_t *error_response(const char *why)
{
    return json_pack("{s:s,s:{s:{s:{s:s}}}}", "description", why, "content", "application/json",
                     "schema", "$ref", "#/components/schemas/Error");
}

static json_t *operation(const ar_http_route *r)
{
    json_t *op = json_pack("{s:s,s:s}", "operationId", r->operation_id, "summary", r->summary);
    json_t *params = json_array(), *responses = json_object();
    /* path parameters from the pattern */
    for (const char *p = strchr(r->pattern, '{'); p; p = strchr(p + 1, '{')) {
        const char *close = strchr(p, '}');
        json_array_append_new(params, json_pack("{s:s%,s:s,s:b,s:{s:s,s:i,s:i}}", "name", p + 1,
                                                (size_t)(close - p - 1), "in", "path",
                                                "required", 1, "schema", "type", "string",
                                                "minLength", 1, "maxLength", AR_HTTP_ITEM_ID_MAX));
    }
    /* query parameters: required ones, then optional filters ("state,kind") */
    for (int required = 1; required >= 0; required--)
        for (const char *q = required ? r->query_params : r->query_optional; q && *q;) {
            size_t n = strcspn(q, ",");
            json_t *schema = json_pack("{s:s}", "type", "string");
            if (n == 7 && !strncmp(q, "country", 7))
                json_object_set_new(schema, "pattern", json_string("^[A-Za-z]{2}$"));
            json_array_append_new(params, json_pack("{s:s%,s:s,s:b,s:o}", "name", q, n, "in",
                                                    "query", "required", required, "schema",
                                                    schema));
            q += n + (q[n] == ',');
        }
    if (json_array_size(params))
        json_object_set(op, "parameters", params);
    json_decref(params);
    if (r->request_schema)
        json_object_set_new(op, "requestBody",
                            json_pack("{s:b,s:{s:{s:{s:s}}}}", "required", 1, "content",
                                      r->request_type, "schema", "$ref", r->request_schema));
    json_t *ok = json_pack("{s:s}", "description", "success");
    json_t *schema = r->response_schema ? json_pack("{s:s}", "$ref", r->response_schema)
                                        : json_pack("{s:s}", "type",
                                                    strcmp(r->response_type, "text/plain")
                                                        ? "object"
                                                        : "string");
    json_object_set_new(ok, "content", json_pack("{s:{s:o}}", r->response_type, "schema", schema));
    char code[8];
    snprintf(code, sizeof code, "%u", r->success);
    json_object_set_new(responses, code, ok);
    json_object_set_new(responses, "default", error_response("an error"));
    if (r->request_schema || strchr(r->pattern, '{') || r->query_params) {
        json_object_set_new(responses, "400", error_response("bad input; names the field"));
    }
    if (r->request_schema)
        json_object_set_new(responses, "413", error_response("body over the limit"));
    if (r->roles != AR_HTTP_PUBLIC) {
        json_object_set_new(responses, "401", error_response("no or unknown API token"));
        json_object_set_new(responses, "403", error_response("the token lacks the role"));
        json_object_set_new(op, "security", json_pack("[{s:[]},{s:[]}]", "bearer", "session"));
        json_t *roles = json_array();
        for (unsigned bit = 1; bit <= AR_TOKEN_ROLE_AUDITOR; bit <<= 1)
            if (r->roles & bit)
                json_array_append_new(roles, json_string(ar_token_role_name(bit)));
        json_object_set_new(op, "x-roles", roles);
    } else {
        json_object_set_new(op, "security", json_array());
    }
    if (r->rate_limited)
        json_object_set_new(responses, "429", error_response("rate limited; see Retry-After"));
    json_object_set_new(op, "responses", responses);
    return op;
}

char *ar_http_openapi_json(size_t *len)
{
    json_t *doc = json_pack(
        "{s:s,s:{s:s,s:s,s:s},s:{s:{s:{s:s,s:s}},s:o}}", "openapi", "3.1.0", "info", "title",
        "arbiter", "version", AR_VERSION_STRING, "description",
        "arbiterd: check items against community standards, and ask whether an item may be "
        "shown in a country. Errors are always {\"error\":{\"code\",\"message\",\"field\"}}.",
        "components", "securitySchemes", "bearer", "type", "http", "scheme", "bearer", "schemas",
        json_object());
    if (doc) /* console sessions: the cookie, plus X-CSRF-Token on changes */
        json_object_set_new(json_object_get(json_object_get(doc, "components"), "securitySchemes"),
                            "session",
                            json_pack("{s:s,s:s,s:s,s:s}", "type", "apiKey", "in", "cookie", "name",
                                      "arb_session", "description",
                                      "from POST /v1/session; state-changing requests must also "
                                      "send X-CSRF-Token"));
    if (!doc)
        return NULL;
    json_t *comp = json_object_get(json_object_get(doc, "components"), "schemas");
    for (size_t i = 0; i < sizeof schemas / sizeof schemas[0]; i++) {
        json_t *s = json_loads(schemas[i].json, 0, NULL);
        if (!s) { /* a typo in the table above: a bug the openapi test catches */
            json_decref(doc);
            return NULL;
        }
        json_object_set_new(comp, schemas[i].name, s);
    }
    json_t *paths = json_object();
    for (size_t i = 0; i < ar_http_nroutes; i++) {
        const ar_http_route *r = &ar_http_routes[i];
        json_t *item = json_object_get(paths, r->pattern);
        if (!item) {
            item = json_object();
            json_object_set_new(paths, r->pattern, item);
        }
        char m[16];
        snprintf(m, sizeof m, "%s", ar_http_method_name(r->method));
        for (char *c = m; *c; c++)
            *c = (char)(*c - 'A' + 'a');
        json_object_set_new(item, m, operation(r));
    }
    json_object_set_new(doc, "paths", paths);
    char *out = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(doc);
    if (out && len)
        *len = strlen(out);
    return out;
}
