/*
 * words.c - the closed vocabularies of a jurisdictions file: request kinds,
 * confidence levels and country codes.
 */
#include "jurisdiction_int.h"

/*---- Request kinds ----------------------------------------------------------*/

static const struct {
    const char *name;
    unsigned bit;
} kinds[] = {
    {"content_restriction", AR__JUR_KIND_CONTENT_RESTRICTION},
    {"user_data", AR__JUR_KIND_USER_DATA},
    {"preservation", AR__JUR_KIND_PRESERVATION},
    {"emergency", AR__JUR_KIND_EMERGENCY},
};

/* The bit of kind `s`, or 0 when `s` names no kind (or is NULL). */
unsigned ar__jurisdiction_kind_bit(const char *s)
{
    if (!s)
        return 0;
    for (size_t i = 0; i < AR_ARRAY_LEN(kinds); i++)
        if (strcmp(s, kinds[i].name) == 0)
            return kinds[i].bit;
    return 0;
}

/* The name of the kind whose bit is `bit`, or NULL. */
const char *ar__jurisdiction_kind_name(unsigned bit)
{
    for (size_t i = 0; i < AR_ARRAY_LEN(kinds); i++)
        if (kinds[i].bit == bit)
            return kinds[i].name;
    return NULL;
}

const char *ar__jurisdiction_kind_list(void)
{
    return "content_restriction, user_data, preservation or emergency";
}

/*---- Confidence ---------------------------------------------------------------*/

/* LEGAL.md's tags: [V] verified in primary text, [S] from a secondary
 * source, [M] from memory, not verified. */
static const char *const confidences[] = {"verified", "secondary", "unverified"};

/* The static spelling of level `s`, so a rule never points into the YAML
 * tree; NULL when `s` is no level. */
const char *ar__jurisdiction_confidence(const char *s)
{
    for (size_t i = 0; i < AR_ARRAY_LEN(confidences); i++)
        if (strcmp(s, confidences[i]) == 0)
            return confidences[i];
    return NULL;
}

/*---- Countries ------------------------------------------------------------------*/

/* The 249 officially assigned ISO 3166-1 alpha-2 codes, sorted, two letters
 * each: tzdata's iso3166.tab, current as of ISO/TC 46 N1108 (2023-04-05). */
static const char iso3166[] =
    "ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZCACCCDCFCGCHCICK"
    "CLCMCNCOCRCUCVCWCXCYCZDEDJDKDMDODZECEEEGEHERESETFIFJFKFMFOFRGAGBGDGEGFGGGHGIGLGMGNGPGQGRGS"
    "GTGUGWGYHKHMHNHRHTHUIDIEILIMINIOIQIRISITJEJMJOJPKEKGKHKIKMKNKPKRKWKYKZLALBLCLILKLRLSLTLULV"
    "LYMAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZNANCNENFNGNINLNONPNRNUNZOMPAPEPFPGPHPKPLPM"
    "PNPRPSPTPWPYQARERORSRURWSASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZTCTDTFTGTHTJTKTLTMTNTOTR"
    "TTTVTWTZUAUGUMUSUYUZVAVCVEVGVIVNVUWFWSYEYTZAZMZW";

/* The 27 member states of the European Union (since 1 February 2020). */
static const char eu_members[] = "ATBEBGCYCZDEDKEEESFIFRGRHRHUIEITLTLULVMTNLPLPTROSESISK";

static bool in_table(const char *table, size_t len, const char *cc)
{
    /* Binary search over two-letter entries. */
    size_t lo = 0, hi = len / 2;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strncmp(table + 2 * mid, cc, 2);
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* True for an assigned code, for "EU" (exceptionally reserved in ISO
 * 3166-1; here it stands for each member state) and for "XK" (Kosovo:
 * user-assigned, but used by the EU and by platforms' transparency reports). */
bool ar__jurisdiction_country_known(const char *cc)
{
    if (strlen(cc) != 2)
        return false;
    if (strcmp(cc, "EU") == 0 || strcmp(cc, "XK") == 0)
        return true;
    return in_table(iso3166, sizeof iso3166 - 1, cc);
}

/* Codes people write for a country whose ISO code differs. */
const char *ar__jurisdiction_country_hint(const char *cc)
{
    static const char *const hints[][2] = {
        {"UK", "GB"}, /* United Kingdom */
        {"EL", "GR"}, /* Greece, as the EU spells it */
    };
    for (size_t i = 0; i < AR_ARRAY_LEN(hints); i++)
        if (strcmp(cc, hints[i][0]) == 0)
            return hints[i][1];
    return NULL;
}

bool ar__jurisdiction_in_eu(const char *cc)
{
    return strlen(cc) == 2 && in_table(eu_members, sizeof eu_members - 1, cc);
}
