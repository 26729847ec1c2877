/* tests/text/test_arabic.c - Arabic script and Urdu (text.h stages 2-5):
 * letter variants, harakat, tatweel, ZWNJ, digits, presentation forms,
 * and that nothing Arabic ever turns Latin. */
#include "text_test.h"

static void test_arabic_urdu_heh_goal_equals_arabic_heh(void **state)
{
    fixture *f = *state;
    assert_same_norm(f, "بہت", "بهت");     /* ہ U+06C1 and ه U+0647 */
    assert_same_norm(f, "بھی", "بهي");     /* ھ do-chashmi heh, ی farsi yeh */
    assert_same_norm(f, "مدرسة", "مدرسه"); /* teh marbuta */
    assert_same_norm(f, "ۀ", "ه");
}

static void test_arabic_folds_yeh_variants(void **state)
{
    fixture *f = *state;
    assert_same_norm(f, "علی", "علي"); /* ی U+06CC */
    assert_same_norm(f, "علی", "على"); /* ى U+0649 */
    assert_same_norm(f, "ۍ", "ي");
    assert_same_norm(f, "ې", "ي");
    assert_same_norm(f, "ئ", "ي");
    /* Yeh barree is a letter of its own in Urdu ("ہے" is not "ہی"). */
    ASSERT_NORM(f, "ہے", " هے ");
}

static void test_arabic_folds_kaf_alef_and_waw_variants(void **state)
{
    fixture *f = *state;
    assert_same_norm(f, "کتاب", "كتاب"); /* ک keheh */
    assert_same_norm(f, "ڪتاب", "كتاب"); /* ڪ swash kaf */
    assert_same_norm(f, "أحمد", "احمد");
    assert_same_norm(f, "إسلام", "اسلام");
    assert_same_norm(f, "آم", "ام");
    assert_same_norm(f, "ٱلله", "الله");
    assert_same_norm(f, "مؤمن", "مومن");
}

static void test_arabic_drops_harakat(void **state)
{
    fixture *f = *state;
    assert_same_norm(f, "مُحَمَّد", "محمد");
    assert_same_norm(f, "بَہُت", "بہت");
    assert_same_norm(f, "كِتَابٌ", "كتاب");
}

static void test_arabic_drops_tatweel(void **state)
{
    fixture *f = *state;
    assert_same_norm(f, "مــــرحبا", "مرحبا");
    ASSERT_NORM(f, "ـــ", " ");
}

static void test_arabic_zwnj_neither_splits_nor_stays(void **state)
{
    fixture *f = *state;
    /* می‌خواہم: ZWNJ inside an Urdu/Persian word */
    ASSERT_NORM(f, "می\xE2\x80\x8Cخواہم", " ميخواهم ");
    assert_same_norm(f, "می\xE2\x80\x8Cخواہم", "میخواہم");
}

static void test_arabic_indic_digits_become_ascii(void **state)
{
    fixture *f = *state;
    ASSERT_NORM(f, "٠١٢٣٤٥٦٧٨٩", " 0123456789 ");
    ASSERT_NORM(f, "۰۱۲۳۴۵۶۷۸۹", " 0123456789 ");
    /* In an Arabic-script token digits stay digits: no leet. */
    ASSERT_NORM(f, "کمرہ۵", " كمره5 ");
}

static void test_arabic_never_becomes_latin(void **state)
{
    fixture *f = *state;
    /* The confusables data would make ه "o" and ٥ "o": not here. */
    ASSERT_NORM(f, "ه", " ه ");
    ASSERT_NORM(f, "٥", " 5 ");
    ASSERT_NORM(f, "ا", " ا ");
    ASSERT_NORM(f, "و", " و ");
    ASSERT_NORM(f, "ں", " ں ");
}

static void test_arabic_presentation_forms_fold_to_letters(void **state)
{
    fixture *f = *state;
    assert_same_norm(f, "\xEF\xBB\xB3\xEF\xBA\xB8", "يش"); /* ﻳﺸ */
    assert_same_norm(f, "\xEF\xAE\x90", "ک");              /* keheh medial form */
    assert_same_norm(f, "\xEF\xAE\xA9", "ه");              /* heh goal medial form */
}

static void test_arabic_punctuation_separates(void **state)
{
    fixture *f = *state;
    ASSERT_NORM(f, "کیا؟ ہاں، ٹھیک۔", " كيا هاں ٹهيك ");
}

static void test_arabic_mixed_with_english(void **state)
{
    fixture *f = *state;
    ASSERT_NORM(f, "yeh بہت bad hai", " yeh بهت bad hai ");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_arabic_urdu_heh_goal_equals_arabic_heh, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_arabic_folds_yeh_variants, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_arabic_folds_kaf_alef_and_waw_variants, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_arabic_drops_harakat, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_arabic_drops_tatweel, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_arabic_zwnj_neither_splits_nor_stays, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_arabic_indic_digits_become_ascii, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_arabic_never_becomes_latin, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_arabic_presentation_forms_fold_to_letters,
                                        fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_arabic_punctuation_separates, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_arabic_mixed_with_english, fixture_setup,
                                        fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
