/*
 * sor_int.h - the statement-of-reasons vocabulary shared by the exporter
 * and the validator, so the two can never disagree.
 */
#ifndef AR_SOR_INT_H
#define AR_SOR_INT_H

#include "report_int.h"

typedef struct ar__sor_enum {
    const char *const *v;
    size_t n;
} ar__sor_enum;

AR_INTERNAL extern const ar__sor_enum ar__sor_visibility, ar__sor_monetary, ar__sor_provision,
    ar__sor_account, ar__sor_account_type, ar__sor_ground, ar__sor_content_type, ar__sor_source,
    ar__sor_yes_no, ar__sor_automated_decision, ar__sor_category, ar__sor_keyword, ar__sor_eea,
    ar__sor_language;

AR_INTERNAL bool ar__sor_in(const ar__sor_enum *e, const char *s);

#endif
