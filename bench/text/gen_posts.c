/*
 * gen_posts.c - deterministic data for arbiter's text benchmark.
 *
 * Writes, into the output folder:
 *   posts.jsonl       {"id":"p1","text":"...","lang":"en"} per line, 140-420
 *                     text bytes each, English, Urdu and Roman Urdu;
 *   terms.txt         10,000 invented terms (single- and multi-word);
 *   policy.yaml       one standard: terms_file terms.txt + 200 regexes;
 *   raw_patterns.tsv  the same terms ("lit\t...") and regexes ("re\t...") as
 *                     the raw-vectorscan ceiling uses them over raw bytes;
 *   truth.tsv         id, planted, disguised, term, kind, disguise, lang;
 *   gen.key           the arguments and vocabulary that made the data (run.sh
 *                     regenerates when it differs).
 *
 * Clean posts must stay clean, or the false-positive figure measures the
 * generator. Terms and regex stems are pseudo-words built from syllables or
 * letters, kept only if one of their 4-code-point grams occurs in no word of
 * the vocabulary, both as written (what a caseless literal sees) and folded
 * as the normaliser folds (lowercase, Arabic letter variants, marks dropped,
 * runs squeezed). Then every post's clean text is scanned with vectorscan for
 * the literal terms and the regexes and regenerated on a hit.
 *
 * A known share of posts carries one planted term or regex instance; half of
 * those are disguised the ways the normaliser undoes (text.h): leetspeak,
 * Cyrillic/Greek lookalikes, fullwidth letters, zero-width characters,
 * separators between letters, stretched letters, mixed case; for Urdu:
 * tatweel, harakat, ZWNJ and Arabic-vs-Urdu letter variants.
 *
 * Usage: bench_gen_posts [--mb N] [--seed S] [--dict PATH|none] [--out DIR]
 *                        [--plant-share F] [--disguise-share F] [--print-key]
 */
#include "bench_util.h"

#include <hs.h>

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define GEN_VERSION     4        /* bump when the output for a seed changes */
#define POST_MIN_BYTES  140
#define POST_MAX_BYTES  420
#define N_TERMS_EN      4500
#define N_TERMS_ROMAN   3000
#define N_TERMS_UR      2500
#define N_TERMS         (N_TERMS_EN + N_TERMS_ROMAN + N_TERMS_UR)
#define MULTI_WORD_PCT  25       /* share of terms with two words */
#define N_RE_LATIN      170
#define N_RE_UR         30
#define N_RE            (N_RE_LATIN + N_RE_UR)
#define REGEX_PLANT_PCT 10       /* share of plants that are regex instances */
#define DICT_DEFAULT    "/usr/share/dict/american-english"

enum { LANG_EN = 0, LANG_UR = 1, LANG_ROMAN = 2 };
static const char *const lang_names[3] = {"en", "ur", "roman-ur"};

/*---- Random numbers: xoshiro256** seeded by splitmix64 ----*/

typedef struct rng {
    uint64_t s[4];
} rng;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void rng_seed(rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(rng *r)
{
    uint64_t *s = r->s;
    uint64_t res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return res;
}

static double rnd01(rng *r) /* [0, 1) */
{
    return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

static size_t rnd(rng *r, size_t n) /* [0, n) */
{
    size_t k = (size_t)(rnd01(r) * (double)n);
    return k < n ? k : (n ? n - 1 : 0);
}

static int pct(rng *r, double p) /* true with probability p percent */
{
    return rnd01(r) * 100.0 < p;
}

/*---- Growable strings ----*/

typedef struct sbuf {
    char *s;
    size_t len, cap;
} sbuf;

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("bench_gen_posts: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        die("out of memory");
    return p;
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        die("out of memory");
    return p;
}

static char *xstrndup(const char *s, size_t n)
{
    char *c = xmalloc(n + 1);
    memcpy(c, s, n);
    c[n] = '\0';
    return c;
}

static void sb_put(sbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->s = xrealloc(b->s, b->cap);
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void sb_puts(sbuf *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

static void sb_putc(sbuf *b, char c)
{
    sb_put(b, &c, 1);
}

static void sb_clear(sbuf *b)
{
    b->len = 0;
    if (b->s)
        b->s[0] = '\0';
}

/*---- UTF-8 ----*/

static size_t utf8_put(char *o, uint32_t cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static void sb_cp(sbuf *b, uint32_t cp)
{
    char t[4];
    sb_put(b, t, utf8_put(t, cp));
}

/* Decode valid UTF-8 (our own literals and the dictionary's ASCII). */
static size_t utf8_decode(const char *s, size_t n, uint32_t *out, size_t max)
{
    size_t k = 0;
    const unsigned char *p = (const unsigned char *)s, *e = p + n;
    while (p < e && k < max) {
        uint32_t c = *p++;
        int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
        if (extra)
            c &= (uint32_t)(0x3F >> extra);
        while (extra-- > 0 && p < e)
            c = (c << 6) | (*p++ & 0x3Fu);
        out[k++] = c;
    }
    return k;
}

static size_t utf8_cps(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/*---- Word lists (space-separated, split at start) ----*/

static const char en_common_src[] =
    "the be to of and a in that have I it for not on with he as you do at this but his by from "
    "they we say her she or an will my one all would there their what so up out if about who "
    "get which go me when make can like time no just him know take people into year your good "
    "some could them see other than then now look only come its over think also back after use "
    "two how our work first well way even new want because any these give day most us is was "
    "are been has had were said did very really much thing lot today tonight tomorrow "
    "yesterday love hate great best worst friend friends family home game match news post video "
    "photo pic check vote city weather rain sun coffee tea food lunch dinner weekend morning "
    "night happy sad funny crazy awesome amazing terrible nice cool okay ok lol omg wow thanks "
    "please sorry yes yeah maybe never always again still here where why guys everyone team "
    "watch watching going got getting feel feeling right left long little big old school work "
    "office traffic bus train phone app update followers live stream tickets price money";

static const char en_fallback_src[] =
    "ability able above accept account across act action activity actually add address admit "
    "adult affect again against age agency agent ago agree agreement ahead air allow almost alone "
    "along already although among amount analysis animal another answer anyone anything appear "
    "apply approach area argue arm around arrive art article artist ask assume attack attention "
    "audience author authority available avoid away baby bad bag ball bank bar base beat "
    "beautiful become bed before begin behavior behind believe benefit better between beyond "
    "bill billion bit black blood blue board body book born both box boy break bring brother "
    "budget build building business buy call camera campaign cancer candidate capital car card "
    "care career carry case catch cause cell center central century certain chair challenge "
    "chance change character charge choice choose church citizen civil claim class clear close "
    "coach cold collection college color community company compare computer concern condition "
    "conference consider consumer contain continue control cost country couple course court "
    "cover create crime cultural culture cup current customer cut dark data daughter dead deal "
    "death debate decade decide decision deep defense degree describe design despite detail "
    "determine develop difference different difficult direction director discover discuss "
    "disease doctor dog door down draw dream drive drop drug during each early east easy "
    "economic economy edge education effect effort eight either election else employee end "
    "energy enjoy enough enter entire environment especially establish evening event ever every "
    "evidence exactly example executive exist expect experience expert explain eye face fact "
    "factor fail fall far fast father fear federal feel few field fight figure fill film final "
    "finally financial find fine finger finish fire firm fish five floor fly focus follow foot "
    "force foreign forget form former forward four free front full fund future garden gas "
    "general generation girl glass goal government green ground group grow growth guess gun guy "
    "hair half hand hang happen hard head health hear heart heat heavy help herself high himself "
    "history hit hold hope hospital hot hotel hour house huge human hundred husband idea "
    "identify image imagine impact important improve include increase indeed indicate "
    "individual industry information inside instead institution interest international "
    "interview investment issue item itself job join keep key kid kill kind kitchen land "
    "language large last late later laugh law lawyer lay lead leader learn least leave leg legal "
    "less letter level lie life light likely line list listen live local lose loss low machine "
    "magazine main maintain major majority manage manager many market marriage material matter "
    "may mean measure media medical meet meeting member memory mention message method middle "
    "might military million mind minute miss mission model modern moment month more mother "
    "mouth move movement movie music must myself name nation national natural nature near "
    "nearly necessary need network newspaper next none nor north note nothing notice number "
    "occur offer officer official often oil once open operation opportunity option order "
    "organization others outside own owner page pain painting paper parent part participant "
    "particular partner party pass past patient pattern pay peace perform perhaps period person "
    "personal physical pick picture piece place plan plant play player point police policy "
    "political politics poor popular population position positive possible power practice "
    "prepare present president pressure pretty prevent private probably problem process produce "
    "product production professional professor program project property protect prove provide "
    "public pull purpose push put quality question quickly quite race radio raise range rate "
    "rather reach read ready real reality realize reason receive recent recently recognize record "
    "red reduce reflect region relate relationship religious remain remember remove report "
    "represent require research resource respond response rest result return reveal rich rise "
    "risk road rock role room rule run safe same save scene science scientist score sea season "
    "seat second section security seek seem sell send senior sense series serious serve service "
    "set seven several shake share shoot short shot should shoulder show side sign significant "
    "similar simple simply since sing single sister sit site situation six size skill skin small "
    "smile social society soldier somebody someone something sometimes son song soon sort sound "
    "source south southern space speak special specific speech spend sport spring staff stage "
    "stand standard star start state statement station stay step stock stop store story "
    "strategy street strong structure student study stuff style subject success successful such "
    "suddenly suffer suggest summer support sure surface system table talk task tax teach "
    "teacher technology television tell ten tend term test thank theory thousand threat three "
    "through throughout throw thus together top total tough toward town trade traditional "
    "training travel treat treatment tree trial trip trouble true truth try turn type under "
    "understand unit until upon usually value various victim view violence visit voice wait walk "
    "wall war water weapon wear week weight west western whatever whether while white whole whom "
    "wide wife win wind window wish within without woman wonder word worker world worry write "
    "writer wrong yard yet young yourself";

static const char roman_src[] =
    "hai hain nahi nahin mein main aur kya kyun kab kahan kaun kaise yaar bohat bohot bahut acha "
    "achha theek thik haan han ji na ho raha rahi rahe tha thi thay ga gi ge kar karo karna kiya "
    "kia diya liya gaya gayi aaj kal abhi phir sab kuch koi bhi toh to se ko ka ki ke par pe "
    "wala wali wale apna apni mera meri tera teri hamara tumhara humara bhai behan ammi abbu "
    "dost ghar khana chai pani paisa paise kaam naukri shaadi mausam garmi sardi baarish masla "
    "jaldi zabardast kamaal maza mazay sahi galat sach jhoot pyar dil dimagh zindagi duniya log "
    "banda bandi larka larki bacha bachay jani jaan chalo chal dekho dekh suno sun bolo bol "
    "samjho pata lagta lagti lag hogaya hojayega karlo bas khatam shuru jeet haar khush udaas "
    "pagal shukriya inshallah mashallah subhanallah salam walaikum assalam bilkul zaroor shayad "
    "waqt din raat subah shaam hafta mahina saal sheher gaon sarak gaari bijli mehngai hukumat "
    "awam khabar scene set tension lo le de do mat kabhi hamesha sirf jab tab agar lekin magar "
    "ya kyunke isliye wese waise idhar udhar yahan wahan upar neeche andar bahar pehle baad "
    "saath bina liye wajah baat sawal jawab hal rasta khuwab umeed mohabbat nafrat dukh khushi "
    "gham";

static const char urdu_src[] =
    "کے کی کا میں ہے ہیں سے کو نہیں اور یہ وہ تھا تھی تھے ہو گا گی گے کر کہ بھی تو ہی پر اس ان "
    "جو کیا کیوں کب کہاں کون کیسے اب جب اگر لیکن مگر یا بہت کچھ سب ایک دو تین چار پانچ ہم آپ "
    "تم میرا میری میرے تمہارا ہمارا اپنا اپنی اپنے ساتھ بعد پہلے لیے والا والی والے رہا رہی رہے "
    "گیا گئی گئے دیا دی لیا کرنا کرتا کرتی کرتے جانا جاتا جاتی آنا آتا آتی دیکھا دیکھو کہا "
    "بولا سنا سمجھا لکھا پڑھا کھایا پیا سویا چلو چلا ملا ملی پاکستان لاہور کراچی اسلام آباد "
    "پشاور کوئٹہ ملتان شہر گاؤں گھر دل دن رات صبح شام وقت سال مہینہ ہفتہ آج کل پانی کھانا "
    "چائے دودھ روٹی بازار دکان سکول کالج کتاب قلم استاد طالب علم دوست بھائی بہن ماں باپ بیٹا "
    "بیٹی بچہ بچے لوگ آدمی عورت حکومت ملک قوم زبان اردو انگریزی خبر اخبار فون موبائل گاڑی سڑک "
    "بارش دھوپ گرمی سردی موسم کام نوکری پیسہ روپے قیمت مہنگائی بجلی گیس ڈاکٹر ہسپتال دوا صحت "
    "کھیل کرکٹ میچ ٹیم کھلاڑی جیت ہار خوشی غم محبت امید خواب بات سوال جواب مسئلہ حل راستہ "
    "دنیا زندگی عید رمضان نماز مسجد اچھا اچھی برا بری بڑا بڑی چھوٹا چھوٹی نیا نئی پرانا "
    "خوبصورت مشکل آسان ضروری جلدی زیادہ کم پورا ٹھیک غلط سچ جھوٹ شکریہ مبارک سلام جناب صاحب "
    "بیگم حالات معاملہ عوام انتخابات وزیر اعظم عدالت فیصلہ پولیس شہری علاقہ سفر ٹرین جہاز ہوٹل "
    "کمرہ دروازہ کھڑکی رنگ سبز سفید کالا نیلا لال پھول درخت باغ دریا پہاڑ سمندر آسمان زمین "
    "چاند سورج ستارہ یار جان ابو امی نانی دادی چچا ماموں خالہ";

/* Tokens that appear in clean posts besides the words above. */
static const char noise_src[] = "https http www com pk org net news status watch live lol haha "
                                "omg wow";

static const char *const emoji[] = {
    "😂", "😭", "🔥", "❤️", "👍", "🙏", "😡", "😍", "🤣", "💯", "🇵🇰", "✨", "😅", "🤔", "👏",
};
#define N_EMOJI (sizeof emoji / sizeof emoji[0])

typedef struct wordlist {
    char **w;
    size_t n, cap;
    double *cum; /* Zipf cumulative weights, or NULL for uniform */
} wordlist;

static void wl_push(wordlist *l, const char *s, size_t len)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 256;
        l->w = xrealloc(l->w, l->cap * sizeof *l->w);
    }
    l->w[l->n++] = xstrndup(s, len);
}

static void wl_split(wordlist *l, const char *src)
{
    const char *p = src;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *s = p;
        while (*p && *p != ' ')
            p++;
        if (p > s)
            wl_push(l, s, (size_t)(p - s));
    }
}

static void wl_zipf(wordlist *l, double s)
{
    l->cum = xmalloc(l->n * sizeof *l->cum);
    double t = 0;
    for (size_t i = 0; i < l->n; i++) {
        double x = (double)(i + 1);
        t += 1.0 / pow(x, s);
        l->cum[i] = t;
    }
}

static const char *wl_pick(const wordlist *l, rng *r)
{
    if (!l->cum)
        return l->w[rnd(r, l->n)];
    double u = rnd01(r) * l->cum[l->n - 1];
    size_t lo = 0, hi = l->n - 1;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (l->cum[mid] < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return l->w[lo];
}

static void wl_shuffle(wordlist *l, rng *r)
{
    for (size_t i = l->n; i > 1; i--) {
        size_t j = rnd(r, i);
        char *t = l->w[i - 1];
        l->w[i - 1] = l->w[j];
        l->w[j] = t;
    }
}

/* Dictionary words of 2-14 ASCII letters (no possessives). Returns the count. */
static size_t load_dict(const char *path, wordlist *l)
{
    char *buf;
    size_t len;
    FILE *probe = fopen(path, "rb");
    if (!probe)
        return 0;
    fclose(probe);
    if (bu_read_file(path, &buf, &len) != 0)
        return 0;
    const char *p = buf, *line;
    size_t ll;
    while (bu_next_line(&p, buf + len, &line, &ll)) {
        if (ll < 2 || ll > 14)
            continue;
        size_t i;
        for (i = 0; i < ll; i++) {
            char c = line[i];
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
                break;
        }
        if (i == ll)
            wl_push(l, line, ll);
    }
    free(buf);
    return l->n;
}

/*---- 4-gram sets over code points: what keeps clean posts clean ----*/

typedef struct gramset {
    uint64_t *v;
    size_t cap, n; /* cap a power of two; 0 marks an empty slot */
} gramset;

static uint64_t gram_hash(const uint32_t *c)
{
    uint64_t h = 0x243F6A8885A308D3ull;
    for (int i = 0; i < 4; i++) {
        h ^= c[i];
        h *= 0x100000001B3ull;
        h ^= h >> 29;
    }
    return h ? h : 1;
}

static void gs_add(gramset *g, uint64_t h)
{
    if (g->n * 2 >= g->cap) {
        gramset ng = {xmalloc((g->cap ? g->cap * 2 : 1 << 16) * sizeof(uint64_t)),
                      g->cap ? g->cap * 2 : 1 << 16, 0};
        memset(ng.v, 0, ng.cap * sizeof(uint64_t));
        for (size_t i = 0; i < g->cap; i++)
            if (g->v[i])
                gs_add(&ng, g->v[i]);
        free(g->v);
        *g = ng;
    }
    size_t i = (size_t)h & (g->cap - 1);
    while (g->v[i]) {
        if (g->v[i] == h)
            return;
        i = (i + 1) & (g->cap - 1);
    }
    g->v[i] = h;
    g->n++;
}

static int gs_has(const gramset *g, uint64_t h)
{
    if (!g->cap)
        return 0;
    size_t i = (size_t)h & (g->cap - 1);
    while (g->v[i]) {
        if (g->v[i] == h)
            return 1;
        i = (i + 1) & (g->cap - 1);
    }
    return 0;
}

/* As written, as a caseless literal sees it: ASCII lowercased. */
static size_t fold_raw(const uint32_t *in, size_t n, uint32_t *out)
{
    for (size_t i = 0; i < n; i++)
        out[i] = (in[i] >= 'A' && in[i] <= 'Z') ? in[i] + 32 : in[i];
    return n;
}

/* Roughly as the normaliser folds (text.h stages 2-4 and 7). */
static size_t fold_norm(const uint32_t *in, size_t n, uint32_t *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = in[i];
        if (c >= 'A' && c <= 'Z')
            c += 32;
        if ((c >= 0x064B && c <= 0x065F) || c == 0x0670 || c == 0x0640 ||
            (c >= 0x200B && c <= 0x200F) || c == 0x2060 || c == 0xFEFF || c == 0x00AD)
            continue;
        switch (c) {
        case 0x06CC: case 0x0649: case 0x0626: case 0x06CD: case 0x06D0: c = 0x064A; break;
        case 0x06A9: case 0x06AA: c = 0x0643; break;
        case 0x06C1: case 0x0629: case 0x06C0: case 0x06D5: case 0x06BE: c = 0x0647; break;
        case 0x0622: case 0x0623: case 0x0625: case 0x0671: c = 0x0627; break;
        case 0x0624: c = 0x0648; break;
        default: break;
        }
        if (k && out[k - 1] == c)
            continue; /* squeeze runs */
        out[k++] = c;
    }
    return k;
}

typedef struct grams {
    gramset raw, norm, used; /* vocabulary grams; folded forms of words already made */
} grams;

static void grams_add_word(grams *g, const char *w)
{
    uint32_t cp[64], f[64];
    size_t n = utf8_decode(w, strlen(w), cp, 64), m;
    m = fold_raw(cp, n, f);
    for (size_t i = 0; i + 4 <= m; i++)
        gs_add(&g->raw, gram_hash(f + i));
    m = fold_norm(cp, n, f);
    for (size_t i = 0; i + 4 <= m; i++)
        gs_add(&g->norm, gram_hash(f + i));
}

static uint64_t whole_hash(const uint32_t *c, size_t n)
{
    uint64_t h = 0xCBF29CE484222325ull;
    for (size_t i = 0; i < n; i++) {
        h ^= c[i];
        h *= 0x100000001B3ull;
    }
    return h ? h : 1;
}

/* A pseudo-word may be used if it is new and, both as written and folded,
 * has a 4-gram that no vocabulary word has: then no clean word contains it. */
static int grams_accept(grams *g, const char *w)
{
    uint32_t cp[64], f[64];
    size_t n = utf8_decode(w, strlen(w), cp, 64), m;
    int ok_raw = 0, ok_norm = 0;
    m = fold_raw(cp, n, f);
    for (size_t i = 0; i + 4 <= m && !ok_raw; i++)
        ok_raw = !gs_has(&g->raw, gram_hash(f + i));
    m = fold_norm(cp, n, f);
    for (size_t i = 0; i + 4 <= m && !ok_norm; i++)
        ok_norm = !gs_has(&g->norm, gram_hash(f + i));
    if (!ok_raw || !ok_norm)
        return 0;
    uint64_t h = whole_hash(f, m);
    if (gs_has(&g->used, h))
        return 0;
    gs_add(&g->used, h);
    return 1;
}

/*---- Pseudo-words ----*/

static const char *const en_onset[] = {
    "b",  "bl", "br", "d",  "dr", "f",  "fl", "fr", "g",  "gl", "gr", "k",  "kl", "kr", "kw", "m",
    "n",  "p",  "pl", "pr", "r",  "s",  "sk", "sl", "sn", "sp", "st", "t",  "tr", "v",  "vr", "z",
    "zw", "zl", "j",  "qu", "x",  "sh", "th", "ph", "w",  "dw", "gw", "sv", "zn", "vl",
};
static const char *const en_vowel[] = {"a", "e", "i", "o", "u", "ai", "ou", "oa", "io", "ua", "ei",
                                       "y"};
static const char *const en_coda[] = {"",   "",   "",   "n",  "r",  "k",  "x",  "z",  "b",
                                      "m",  "nd", "rk", "st", "lt", "nk", "rz", "sk", "ft",
                                      "mp", "rb", "gz", "ks", "v",  "g"};
static const char *const ro_onset[] = {"kh", "gh", "ch", "ph", "bh", "th", "dh", "jh", "sh",
                                       "z",  "k",  "g",  "b",  "d",  "t",  "p",  "m",  "n",
                                       "l",  "r",  "s",  "j",  "h",  "w",  "y",  "f"};
static const char *const ro_vowel[] = {"a", "i", "u", "o", "e", "a", "i", "aa", "ai", "au", "ee",
                                       "oo"};
static const char *const ro_coda[] = {"", "", "", "n", "r", "l", "m", "t", "k", "sh", "z", "nd",
                                      "ng", "r"};
static const char *const ro_end[] = {"", "", "", "a", "i", "ay", "on", "ein", "iya", "u"};
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* No two equal letters in a row, except the Roman vowels "aa ee oo". */
static int has_bad_double(const char *w, int allow_vowel_pairs)
{
    for (size_t i = 1; w[i]; i++)
        if (w[i] == w[i - 1]) {
            int vowel = w[i] == 'a' || w[i] == 'e' || w[i] == 'o';
            if (!allow_vowel_pairs || !vowel || (i >= 2 && w[i - 2] == w[i]))
                return 1;
        }
    return 0;
}

static void make_latin(rng *r, int roman, size_t minlen, size_t maxlen, char *out, size_t cap)
{
    for (;;) {
        out[0] = '\0';
        size_t syl = 2 + rnd(r, 2);
        for (size_t i = 0; i < syl; i++) {
            if (roman) {
                strcat(out, ro_onset[rnd(r, NELEM(ro_onset))]);
                strcat(out, ro_vowel[rnd(r, NELEM(ro_vowel))]);
                strcat(out, ro_coda[rnd(r, NELEM(ro_coda))]);
            } else {
                strcat(out, en_onset[rnd(r, NELEM(en_onset))]);
                strcat(out, en_vowel[rnd(r, NELEM(en_vowel))]);
                strcat(out, en_coda[rnd(r, NELEM(en_coda))]);
            }
            if (strlen(out) > cap - 12)
                break;
        }
        if (roman)
            strcat(out, ro_end[rnd(r, NELEM(ro_end))]);
        size_t n = strlen(out);
        if (n >= minlen && n <= maxlen && !has_bad_double(out, roman))
            return;
    }
}

/* Urdu letters. Folding ones (ی ک ہ) give the letter-variant disguise
 * something to change; rare ones keep pseudo-words off real words. */
static const uint32_t ur_common[] = {0x0628, 0x067E, 0x062A, 0x0679, 0x062C, 0x0686, 0x062D,
                                     0x062E, 0x0633, 0x0634, 0x0641, 0x0642, 0x06AF, 0x0644,
                                     0x0645, 0x0646, 0x0639, 0x063A};
static const uint32_t ur_nonjoin[] = {0x0627, 0x062F, 0x0688, 0x0630, 0x0631, 0x0691, 0x0632,
                                      0x0698, 0x0648};
static const uint32_t ur_rare[] = {0x0698, 0x0638, 0x062B, 0x0636, 0x0630, 0x0691, 0x0635,
                                   0x0637, 0x063A, 0x0642};
static const uint32_t ur_folding[] = {0x06CC, 0x06A9, 0x06C1}; /* ی ک ہ */

static int ur_joins(uint32_t c) /* connects to the next letter */
{
    for (size_t i = 0; i < NELEM(ur_nonjoin); i++)
        if (ur_nonjoin[i] == c)
            return 0;
    return c != 0x06D2;
}

/* `plain_only`: only letters the normaliser leaves alone (for regexes). */
static void make_urdu(rng *r, int plain_only, char *out)
{
    uint32_t w[8];
    for (;;) {
        size_t n = 4 + rnd(r, plain_only ? 2 : 3);
        int has_rare = 0, has_fold = 0;
        for (size_t i = 0; i < n; i++) {
            uint32_t c;
            size_t k = rnd(r, 100);
            if (k < 25)
                c = ur_rare[rnd(r, NELEM(ur_rare))];
            else if (k < 45 && !plain_only)
                c = ur_folding[rnd(r, NELEM(ur_folding))];
            else if (k < 60)
                c = ur_nonjoin[rnd(r, NELEM(ur_nonjoin))];
            else
                c = ur_common[rnd(r, NELEM(ur_common))];
            if (i == n - 1 && !plain_only && rnd(r, 100) < 12)
                c = 0x06D2; /* final yeh barree */
            w[i] = c;
        }
        for (size_t i = 0; i < n; i++) {
            for (size_t j = 0; j < NELEM(ur_rare); j++)
                has_rare |= w[i] == ur_rare[j];
            for (size_t j = 0; j < NELEM(ur_folding); j++)
                has_fold |= w[i] == ur_folding[j];
        }
        int dbl = 0;
        for (size_t i = 1; i < n; i++)
            dbl |= w[i] == w[i - 1];
        if (dbl || !has_rare || (!plain_only && !has_fold && rnd(r, 100) < 80))
            continue;
        size_t o = 0;
        for (size_t i = 0; i < n; i++)
            o += utf8_put(out + o, w[i]);
        out[o] = '\0';
        return;
    }
}

/*---- Terms and regexes ----*/

typedef struct term {
    char *text;
    int lang;
} term;

typedef enum { RE_SUFFIX_SPACE, RE_ALT, RE_NEAR, RE_INFLECT, RE_UR_SUFFIX, RE_UR_ALT } re_kind;

typedef struct regex {
    char *src;
    re_kind kind;
    char *stem[4];
    int lang; /* LANG_EN/ROMAN (Latin) or LANG_UR */
} regex;

static char *new_pseudo(grams *g, rng *r, int lang, int for_regex)
{
    char w[96];
    for (int tries = 0; tries < 100000; tries++) {
        if (lang == LANG_UR)
            make_urdu(r, for_regex, w);
        else
            make_latin(r, lang == LANG_ROMAN, for_regex ? 4 : 5, for_regex ? 7 : 11, w, sizeof w);
        if (for_regex && lang != LANG_UR && has_bad_double(w, 0))
            continue; /* regex stems carry no doubled letters: the stream is squeezed */
        if (grams_accept(g, w))
            return xstrndup(w, strlen(w));
    }
    die("could not invent a new pseudo-word: vocabulary too dense?");
    return NULL;
}

static void make_terms(grams *g, rng *r, const wordlist *en_common, const wordlist *roman,
                       const wordlist *urdu, term *terms)
{
    static const int counts[3] = {N_TERMS_EN, N_TERMS_UR, N_TERMS_ROMAN};
    size_t k = 0;
    for (int lang = 0; lang < 3; lang++)
        for (int i = 0; i < counts[lang]; i++) {
            char *a = new_pseudo(g, r, lang, 0);
            term *t = &terms[k++];
            t->lang = lang;
            if (!pct(r, MULTI_WORD_PCT)) {
                t->text = a;
                continue;
            }
            /* Two words: pseudo + pseudo, or pseudo + a real word either side. */
            const char *b;
            char *own = NULL;
            if (pct(r, 55))
                b = own = new_pseudo(g, r, lang, 0);
            else {
                const wordlist *l = lang == LANG_UR ? urdu : lang == LANG_ROMAN ? roman : en_common;
                do
                    b = l->w[rnd(r, l->n < 120 ? l->n : 120)];
                while (utf8_cps(b) < 2 || !strcmp(b, "I"));
            }
            size_t la = strlen(a), lb = strlen(b);
            t->text = xmalloc(la + lb + 2);
            int swap = own == NULL && pct(r, 50);
            sprintf(t->text, "%s %s", swap ? b : a, swap ? a : b);
            free(a);
            free(own);
        }
}

static const char *const inflect[] = {"ing", "er", "ed", "s"};

static void make_regexes(grams *g, rng *r, regex *re)
{
    for (size_t i = 0; i < N_RE; i++) {
        regex *x = &re[i];
        memset(x, 0, sizeof *x);
        sbuf b = {0};
        if (i < N_RE_LATIN) {
            x->lang = (i % 2) ? LANG_ROMAN : LANG_EN;
            x->kind = (re_kind)(i % 4);
        } else {
            x->lang = LANG_UR;
            x->kind = (i % 2) ? RE_UR_ALT : RE_UR_SUFFIX;
        }
        int nst = (x->kind == RE_ALT || x->kind == RE_UR_ALT) ? 4 : (x->kind == RE_INFLECT ? 1 : 2);
        for (int s = 0; s < nst; s++) {
            for (;;) {
                x->stem[s] = new_pseudo(g, r, x->lang, 1);
                /* An inflected stem ends in a consonant that starts no suffix,
                 * so the instance never doubles a letter at the join. */
                size_t l = strlen(x->stem[s]);
                char last = x->stem[s][l - 1];
                if (x->kind != RE_INFLECT || !strchr("aeiouys", last))
                    break;
                free(x->stem[s]);
            }
        }
        switch (x->kind) {
        case RE_SUFFIX_SPACE: /* 'zorb[a-z]{0,3} kwin' */
            sb_puts(&b, x->stem[0]);
            sb_puts(&b, "[a-z]{0,3} ");
            sb_puts(&b, x->stem[1]);
            break;
        case RE_ALT: /* '(?:a|b|c) d' */
            sb_puts(&b, "(?:");
            for (int s = 0; s < 3; s++) {
                if (s)
                    sb_putc(&b, '|');
                sb_puts(&b, x->stem[s]);
            }
            sb_puts(&b, ") ");
            sb_puts(&b, x->stem[3]);
            break;
        case RE_NEAR: /* 'a(?: [a-z]+){0,2} b': two stems, up to two words apart */
            sb_puts(&b, x->stem[0]);
            sb_puts(&b, "(?: [a-z]+){0,2} ");
            sb_puts(&b, x->stem[1]);
            break;
        case RE_INFLECT: /* 'stem(?:ing|er|ed|s)?' */
            sb_puts(&b, x->stem[0]);
            sb_puts(&b, "(?:ing|er|ed|s)?");
            break;
        case RE_UR_SUFFIX:
            sb_puts(&b, x->stem[0]);
            sb_puts(&b, "[\\x{0621}-\\x{06FF}]{0,2} ");
            sb_puts(&b, x->stem[1]);
            break;
        case RE_UR_ALT:
            sb_puts(&b, "(?:");
            for (int s = 0; s < 3; s++) {
                if (s)
                    sb_putc(&b, '|');
                sb_puts(&b, x->stem[s]);
            }
            sb_puts(&b, ") ");
            sb_puts(&b, x->stem[3]);
            break;
        }
        x->src = b.s;
    }
}

/* A plain string the regex matches, as whole tokens. */
static void regex_instance(const regex *x, rng *r, const wordlist *en_common, sbuf *out)
{
    sb_clear(out);
    switch (x->kind) {
    case RE_SUFFIX_SPACE: {
        sb_puts(out, x->stem[0]);
        size_t n = rnd(r, 4);
        char prev = x->stem[0][strlen(x->stem[0]) - 1];
        for (size_t i = 0; i < n; i++) {
            char c;
            do
                c = (char)('a' + rnd(r, 26));
            while (c == prev);
            sb_putc(out, c);
            prev = c;
        }
        sb_putc(out, ' ');
        sb_puts(out, x->stem[1]);
        break;
    }
    case RE_ALT:
    case RE_UR_ALT:
        sb_puts(out, x->stem[rnd(r, 3)]);
        sb_putc(out, ' ');
        sb_puts(out, x->stem[3]);
        break;
    case RE_NEAR: {
        sb_puts(out, x->stem[0]);
        size_t n = rnd(r, 3);
        for (size_t i = 0; i < n; i++) {
            const char *w;
            do
                w = wl_pick(en_common, r);
            while (strlen(w) < 2 || w[0] < 'a' || w[0] > 'z' || w[1] < 'a' || w[1] > 'z');
            sb_putc(out, ' ');
            sb_puts(out, w);
        }
        sb_putc(out, ' ');
        sb_puts(out, x->stem[1]);
        break;
    }
    case RE_INFLECT: {
        sb_puts(out, x->stem[0]);
        size_t k = rnd(r, 5);
        if (k < 4)
            sb_puts(out, inflect[k]);
        break;
    }
    case RE_UR_SUFFIX: {
        sb_puts(out, x->stem[0]);
        uint32_t cps[16];
        size_t n = utf8_decode(x->stem[0], strlen(x->stem[0]), cps, 16);
        uint32_t prev = cps[n - 1];
        size_t k = rnd(r, 3);
        for (size_t i = 0; i < k; i++) {
            uint32_t c;
            do
                c = ur_common[rnd(r, NELEM(ur_common))];
            while (c == prev);
            sb_cp(out, c);
            prev = c;
        }
        sb_putc(out, ' ');
        sb_puts(out, x->stem[1]);
        break;
    }
    }
}

/*---- Disguises ----*/

typedef enum {
    D_PLAIN, D_LEET, D_HOMOGLYPH, D_FULLWIDTH, D_ZEROWIDTH, D_SEPARATOR, D_STRETCH, D_MIXEDCASE,
    D_COMBO, D_TATWEEL, D_HARAKAT, D_ZWNJ, D_VARIANT, D_COUNT
} disguise;

static const char *const disguise_names[D_COUNT] = {
    "plain",   "leet",  "homoglyph", "fullwidth", "zerowidth", "separator", "stretch",
    "mixedcase", "combo", "tatweel", "harakat", "zwnj",      "variant",
};

/* One letter of the plant and what it is written as. */
typedef struct unit {
    uint32_t base;    /* the letter as in the term; ' ' between words */
    uint32_t out[12]; /* what is written for it */
    size_t nout;
    int changed;      /* its letter was replaced (leet, lookalike, ...) */
} unit;

typedef struct plant {
    unit u[256];
    size_t n;
} plant;

static void plant_init(plant *p, const char *s)
{
    uint32_t cps[256];
    size_t n = utf8_decode(s, strlen(s), cps, 256);
    p->n = n;
    for (size_t i = 0; i < n; i++) {
        p->u[i].base = cps[i];
        p->u[i].out[0] = cps[i];
        p->u[i].nout = 1;
        p->u[i].changed = 0;
    }
}

/* Index of ASCII letter c in `set`, or -1 (never matches a non-ASCII c). */
static int ascii_in(const char *set, uint32_t c)
{
    if (c == 0 || c >= 0x80)
        return -1;
    const char *f = strchr(set, (int)c);
    return f ? (int)(f - set) : -1;
}

static int is_letter(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* Letters of the word containing unit i that are still unchanged. */
static size_t word_unchanged(const plant *p, size_t i)
{
    size_t s = i, e = i, n = 0;
    while (s > 0 && p->u[s - 1].base != ' ')
        s--;
    while (e + 1 < p->n && p->u[e + 1].base != ' ')
        e++;
    for (size_t k = s; k <= e; k++)
        n += !p->u[k].changed && p->u[k].base >= 'a' && p->u[k].base <= 'z';
    return n;
}

static int d_leet(plant *p, rng *r)
{
    static const char from[] = "aeosit";
    static const char to[] = "430517";
    int any = 0;
    for (size_t i = 0; i < p->n; i++) {
        int f = ascii_in(from, p->u[i].base);
        if (f < 0 || p->u[i].changed || !pct(r, 60))
            continue;
        if (word_unchanged(p, i) < 2)
            continue; /* keep a Latin letter in every token */
        p->u[i].out[0] = (uint32_t)to[f];
        p->u[i].changed = 1;
        any = 1;
    }
    if (!any) /* force one */
        for (size_t i = 0; i < p->n && !any; i++) {
            int f = ascii_in(from, p->u[i].base);
            if (f >= 0 && !p->u[i].changed && word_unchanged(p, i) >= 2) {
                p->u[i].out[0] = (uint32_t)to[f];
                p->u[i].changed = any = 1;
            }
        }
    return any;
}

static int d_homoglyph(plant *p, rng *r)
{
    static const char from[] = "aeopcyxi";
    static const uint32_t cyr[] = {0x0430, 0x0435, 0x043E, 0x0440, 0x0441, 0x0443, 0x0445, 0x0456};
    size_t cand[256], nc = 0;
    for (size_t i = 0; i < p->n; i++)
        if (ascii_in(from, p->u[i].base) >= 0 && !p->u[i].changed)
            cand[nc++] = i;
    if (!nc)
        return 0;
    size_t k = 1 + rnd(r, nc < 3 ? nc : 3);
    for (size_t j = 0; j < k; j++) {
        size_t i = cand[rnd(r, nc)];
        uint32_t c = cyr[ascii_in(from, p->u[i].base)];
        if (pct(r, 30)) { /* Greek omicron, alpha, iota for some */
            if (p->u[i].base == 'o')
                c = 0x03BF;
            else if (p->u[i].base == 'a')
                c = 0x03B1;
            else if (p->u[i].base == 'i')
                c = 0x03B9;
        }
        p->u[i].out[0] = c;
        p->u[i].changed = 1;
    }
    return 1;
}

static int d_fullwidth(plant *p, rng *r)
{
    int upper = pct(r, 25), any = 0;
    for (size_t i = 0; i < p->n; i++) {
        uint32_t c = p->u[i].base;
        if (c < 'a' || c > 'z' || p->u[i].changed)
            continue;
        p->u[i].out[0] = (upper ? 0xFF21 : 0xFF41) + (c - 'a');
        p->u[i].changed = any = 1;
    }
    return any;
}

static int d_mixedcase(plant *p, rng *r)
{
    int all = pct(r, 30), upper = 0, any = 0;
    for (size_t i = 0; i < p->n; i++) {
        uint32_t c = p->u[i].base;
        if (c < 'a' || c > 'z' || p->u[i].changed)
            continue;
        any = 1;
        if (all || pct(r, 50)) {
            p->u[i].out[0] = c - 32;
            p->u[i].changed = upper = 1;
        }
    }
    if (any && !upper)
        for (size_t i = 0; i < p->n; i++)
            if (p->u[i].base >= 'a' && p->u[i].base <= 'z' && !p->u[i].changed) {
                p->u[i].out[0] = p->u[i].base - 32;
                p->u[i].changed = 1;
                break;
            }
    return any;
}

static int d_stretch(plant *p, rng *r)
{
    size_t cand[256], nc = 0;
    for (size_t i = 0; i < p->n; i++)
        if (p->u[i].base >= 'a' && p->u[i].base <= 'z' && !p->u[i].changed)
            cand[nc++] = i;
    if (!nc)
        return 0;
    size_t k = 1 + rnd(r, 2);
    for (size_t j = 0; j < k; j++) {
        size_t i = cand[rnd(r, nc)];
        unit *u = &p->u[i];
        size_t extra = 2 + rnd(r, 4);
        for (size_t e = 0; e < extra && u->nout < 10; e++)
            u->out[u->nout++] = u->out[0];
        u->changed = 1;
    }
    return 1;
}

/* Insert `c` after 1-3 letters that have a letter of the same word after them. */
static int insert_inside(plant *p, rng *r, const uint32_t *cs, size_t ncs, int joiners_only)
{
    size_t cand[256], nc = 0;
    for (size_t i = 0; i + 1 < p->n; i++)
        if (p->u[i].base != ' ' && p->u[i + 1].base != ' ' && p->u[i].nout < 11 &&
            (!joiners_only || ur_joins(p->u[i].base)))
            cand[nc++] = i;
    if (!nc)
        return 0;
    size_t k = 1 + rnd(r, 3);
    for (size_t j = 0; j < k; j++) {
        unit *u = &p->u[cand[rnd(r, nc)]];
        if (u->nout < 11)
            u->out[u->nout++] = cs[rnd(r, ncs)];
    }
    return 1;
}

static int d_zerowidth(plant *p, rng *r)
{
    static const uint32_t zw[] = {0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD};
    return insert_inside(p, r, zw, NELEM(zw), 0);
}

static int d_separator(plant *p, rng *r)
{
    static const char seps[] = ". -_*";
    for (size_t i = 0; i < p->n; i++)
        if (p->u[i].base == ' ' || !is_letter(p->u[i].base))
            return 0; /* single-word terms only */
    if (p->n < 3)
        return 0;
    uint32_t s = (uint32_t)seps[rnd(r, sizeof seps - 1)];
    for (size_t i = 0; i + 1 < p->n; i++)
        p->u[i].out[p->u[i].nout++] = s;
    return 1;
}

static int d_tatweel(plant *p, rng *r)
{
    static const uint32_t t[] = {0x0640, 0x0640, 0x0640};
    int any = insert_inside(p, r, t, 1, 1);
    if (any && pct(r, 40)) /* a long stretch now and then */
        insert_inside(p, r, t, NELEM(t), 1);
    return any;
}

static int d_harakat(plant *p, rng *r)
{
    static const uint32_t h[] = {0x064E, 0x064F, 0x0650, 0x0651, 0x0652, 0x064B};
    size_t cand[256], nc = 0;
    for (size_t i = 0; i < p->n; i++)
        if (p->u[i].base >= 0x0600 && p->u[i].nout < 11)
            cand[nc++] = i;
    if (!nc)
        return 0;
    size_t k = 1 + rnd(r, 3);
    for (size_t j = 0; j < k; j++) {
        unit *u = &p->u[cand[rnd(r, nc)]];
        if (u->nout < 11)
            u->out[u->nout++] = h[rnd(r, NELEM(h))];
    }
    return 1;
}

static int d_zwnj(plant *p, rng *r)
{
    static const uint32_t z[] = {0x200C, 0x200C, 0x200D};
    return insert_inside(p, r, z, NELEM(z), 0);
}

static int d_variant(plant *p, rng *r)
{
    int any = 0;
    for (size_t i = 0; i < p->n; i++) {
        uint32_t to = 0;
        switch (p->u[i].base) {
        case 0x06CC: to = 0x064A; break; /* ی -> ي */
        case 0x06A9: to = 0x0643; break; /* ک -> ك */
        case 0x06C1: to = 0x0647; break; /* ہ -> ه */
        default: break;
        }
        if (to && !p->u[i].changed && (pct(r, 70) || !any)) {
            p->u[i].out[0] = to;
            p->u[i].changed = any = 1;
        }
    }
    return any;
}

static int apply_one(plant *p, rng *r, disguise d)
{
    switch (d) {
    case D_LEET: return d_leet(p, r);
    case D_HOMOGLYPH: return d_homoglyph(p, r);
    case D_FULLWIDTH: return d_fullwidth(p, r);
    case D_ZEROWIDTH: return d_zerowidth(p, r);
    case D_SEPARATOR: return d_separator(p, r);
    case D_STRETCH: return d_stretch(p, r);
    case D_MIXEDCASE: return d_mixedcase(p, r);
    case D_TATWEEL: return d_tatweel(p, r);
    case D_HARAKAT: return d_harakat(p, r);
    case D_ZWNJ: return d_zwnj(p, r);
    case D_VARIANT: return d_variant(p, r);
    default: return 0;
    }
}

static disguise pick_weighted(rng *r, const disguise *d, const int *w, size_t n)
{
    int t = 0;
    for (size_t i = 0; i < n; i++)
        t += w[i];
    int u = (int)rnd(r, (size_t)t);
    for (size_t i = 0; i < n; i++) {
        if (u < w[i])
            return d[i];
        u -= w[i];
    }
    return d[n - 1];
}

/* Disguise the plant; returns the disguise used. */
static disguise disguise_plant(plant *p, rng *r, int urdu)
{
    static const disguise lat[] = {D_LEET,    D_HOMOGLYPH, D_FULLWIDTH, D_ZEROWIDTH,
                                   D_SEPARATOR, D_STRETCH, D_MIXEDCASE, D_COMBO};
    static const int latw[] = {16, 16, 10, 14, 12, 12, 8, 12};
    static const disguise lat_combo[] = {D_LEET, D_HOMOGLYPH, D_ZEROWIDTH, D_STRETCH, D_MIXEDCASE};
    static const disguise ur[] = {D_TATWEEL, D_HARAKAT, D_ZWNJ, D_VARIANT, D_COMBO};
    static const int urw[] = {22, 22, 18, 22, 16};
    static const disguise ur_combo[] = {D_TATWEEL, D_HARAKAT, D_ZWNJ, D_VARIANT};
    for (int tries = 0; tries < 50; tries++) {
        disguise d = urdu ? pick_weighted(r, ur, urw, NELEM(ur))
                          : pick_weighted(r, lat, latw, NELEM(lat));
        plant save = *p;
        if (d == D_COMBO) {
            const disguise *c = urdu ? ur_combo : lat_combo;
            size_t nc = urdu ? NELEM(ur_combo) : NELEM(lat_combo);
            size_t a = rnd(r, nc), b;
            do
                b = rnd(r, nc);
            while (b == a);
            /* Replacing disguises before the ones that add characters. */
            if (c[a] == D_STRETCH || c[a] == D_ZEROWIDTH || c[a] == D_HARAKAT ||
                c[a] == D_TATWEEL || c[a] == D_ZWNJ) {
                size_t t = a;
                a = b;
                b = t;
            }
            if (apply_one(p, r, c[a]) && apply_one(p, r, c[b]))
                return D_COMBO;
        } else if (apply_one(p, r, d)) {
            return d;
        }
        *p = save;
    }
    return D_PLAIN;
}

static void plant_render(const plant *p, sbuf *out)
{
    sb_clear(out);
    for (size_t i = 0; i < p->n; i++)
        for (size_t k = 0; k < p->u[i].nout; k++)
            sb_cp(out, p->u[i].out[k]);
}

/*---- Clean text ----*/

typedef struct vocab {
    wordlist en_common, en_dict, roman, urdu, noise;
    const char *source;
    size_t dict_words;
} vocab;

/* Light noise on a clean word that the normaliser folds back to the word:
 * exercises the normaliser without making a term. */
static void noisy_word(const char *w, rng *r, int urdu, sbuf *out)
{
    plant p;
    plant_init(&p, w);
    if (urdu) {
        static const disguise d[] = {D_TATWEEL, D_HARAKAT, D_ZWNJ, D_VARIANT};
        apply_one(&p, r, d[rnd(r, NELEM(d))]);
    } else {
        static const disguise d[] = {D_LEET, D_HOMOGLYPH, D_FULLWIDTH, D_ZEROWIDTH, D_MIXEDCASE};
        apply_one(&p, r, d[rnd(r, NELEM(d))]);
    }
    plant_render(&p, out);
}

typedef struct piece {
    size_t off, len; /* in the post's piece buffer */
    int safe;        /* a token of two or more characters: may stand beside a plant */
} piece;

typedef struct post {
    sbuf buf;        /* the pieces, back to back */
    piece pc[256];
    size_t n;
    size_t bytes;
} post;

static const char *pick_word(const vocab *v, rng *r, int lang)
{
    switch (lang) {
    case LANG_EN:
        if (pct(r, 3))
            return wl_pick(&v->roman, r);
        return pct(r, 55) ? wl_pick(&v->en_common, r) : wl_pick(&v->en_dict, r);
    case LANG_ROMAN:
        return pct(r, 15) ? wl_pick(&v->en_common, r) : wl_pick(&v->roman, r);
    default:
        return pct(r, 8) ? wl_pick(&v->en_common, r) : wl_pick(&v->urdu, r);
    }
}

/* One piece: a token and the separator after it. */
static void make_piece(const vocab *v, rng *r, int lang, int cap_next, sbuf *tmp, sbuf *out,
                       int *safe, int *ends_sentence)
{
    sb_clear(out);
    *ends_sentence = 0;
    size_t k = rnd(r, 1000);
    if (k < 30) { /* emoji */
        sb_puts(out, emoji[rnd(r, N_EMOJI)]);
        if (pct(r, 30))
            sb_puts(out, emoji[rnd(r, N_EMOJI)]);
        *safe = 1;
    } else if (k < 50) { /* number */
        char t[32] = "";
        switch (rnd(r, 4)) {
        case 0: snprintf(t, sizeof t, "%u", 1990u + (unsigned)rnd(r, 40)); break;
        case 1: snprintf(t, sizeof t, "%u", 2u + (unsigned)rnd(r, 98)); break;
        case 2: snprintf(t, sizeof t, "%u:%02u", 1u + (unsigned)rnd(r, 12), (unsigned)rnd(r, 60)); break;
        default:
            if (lang == LANG_UR) /* Urdu digits */
                for (int i = 0; i < 3; i++)
                    sb_cp(out, 0x06F0 + (uint32_t)rnd(r, 10));
            else
                snprintf(t, sizeof t, "%u%%", 1u + (unsigned)rnd(r, 99));
            break;
        }
        if (out->len == 0)
            sb_puts(out, t);
        *safe = out->len >= 2;
    } else if (k < 60) { /* @handle */
        const char *w = wl_pick(&v->roman, r);
        sb_putc(out, '@');
        sb_puts(out, pct(r, 50) ? w : wl_pick(&v->en_common, r));
        if (pct(r, 50)) {
            char t[8];
            snprintf(t, sizeof t, "%u", (unsigned)rnd(r, 100));
            sb_puts(out, t);
        }
        *safe = 1;
    } else if (k < 70) { /* #hashtag */
        sb_putc(out, '#');
        sb_puts(out, pick_word(v, r, lang));
        *safe = 1;
    } else if (k < 75) { /* URL of vocabulary words */
        sb_puts(out, pct(r, 80) ? "https://" : "http://");
        if (pct(r, 50))
            sb_puts(out, "www.");
        sb_puts(out, wl_pick(&v->en_common, r));
        sb_puts(out, pct(r, 70) ? ".com/" : ".pk/");
        sb_puts(out, wl_pick(&v->roman, r));
        sb_putc(out, '-');
        sb_puts(out, wl_pick(&v->en_common, r));
        *safe = 1;
    } else {
        const char *w = pick_word(v, r, lang);
        int latin = (unsigned char)w[0] < 0x80;
        *safe = utf8_cps(w) >= 2;
        if (k < 85) { /* noise the normaliser folds away */
            noisy_word(w, r, !latin, tmp);
            sb_put(out, tmp->s, tmp->len);
        } else if (latin && k < 95) { /* ALL CAPS */
            for (const char *c = w; *c; c++)
                sb_putc(out, (*c >= 'a' && *c <= 'z') ? (char)(*c - 32) : *c);
        } else if (latin && k < 105) { /* quoted */
            sb_putc(out, '"');
            sb_puts(out, w);
            sb_putc(out, '"');
        } else if (latin && (cap_next || k < 130) && w[0] >= 'a' && w[0] <= 'z') {
            sb_putc(out, (char)(w[0] - 32));
            sb_puts(out, w + 1);
        } else {
            sb_puts(out, w);
        }
    }
    /* The separator after it: always ends in whitespace. */
    size_t s = rnd(r, 1000);
    if (s < 70) {
        sb_puts(out, lang == LANG_UR ? "۔ " : ". ");
        *ends_sentence = 1;
    } else if (s < 110)
        sb_puts(out, lang == LANG_UR ? "، " : ", ");
    else if (s < 125) {
        sb_puts(out, "! ");
        *ends_sentence = 1;
    } else if (s < 140) {
        sb_puts(out, lang == LANG_UR ? "؟ " : "? ");
        *ends_sentence = 1;
    } else if (s < 141)
        sb_putc(out, '\n');
    else if (s < 150)
        sb_puts(out, "  ");
    else
        sb_putc(out, ' ');
}

static void post_add(post *p, const char *s, size_t len, int safe)
{
    if (p->n == NELEM(p->pc))
        return;
    p->pc[p->n].off = p->buf.len;
    p->pc[p->n].len = len;
    p->pc[p->n].safe = safe;
    sb_put(&p->buf, s, len);
    p->n++;
    p->bytes += len;
}

/* Clean pieces for a post of `plant` more bytes. The plant may add 2 bytes of
 * separator and the end may lose 2 bytes of whitespace, hence the margins:
 * the post ends within [POST_MIN_BYTES, POST_MAX_BYTES]. */
static void make_clean(post *p, const vocab *v, rng *r, int lang, size_t reserve, sbuf *tmp,
                       sbuf *pc)
{
    sb_clear(&p->buf);
    p->n = 0;
    p->bytes = 0;
    size_t target = POST_MIN_BYTES + rnd(r, POST_MAX_BYTES - POST_MIN_BYTES + 1);
    int cap_next = lang != LANG_UR, safe, end;
    while (p->bytes + reserve < target) {
        make_piece(v, r, lang, cap_next, tmp, pc, &safe, &end);
        if (p->bytes + reserve + 2 + pc->len > POST_MAX_BYTES)
            break;
        post_add(p, pc->s, pc->len, safe);
        cap_next = end && lang != LANG_UR;
    }
    /* Top up with short words if a long piece did not fit. */
    static const char *const shortw[3] = {"ok ", "ہے ", "hai "};
    while (p->bytes + reserve < POST_MIN_BYTES + 2)
        post_add(p, shortw[lang], strlen(shortw[lang]), 1);
}

/*---- vectorscan check of clean text ----*/

typedef struct hsdbs {
    hs_database_t *lit, *re;
    hs_scratch_t *scratch;
} hsdbs;

static int on_hit(unsigned int id, unsigned long long from, unsigned long long to,
                  unsigned int flags, void *ctx)
{
    (void)id, (void)from, (void)to, (void)flags;
    (*(size_t *)ctx)++;
    return 1; /* stop: one hit is enough */
}

static void hs_build(hsdbs *h, term *terms, regex *re)
{
    hs_compile_error_t *ce = NULL;
    const char **e = xmalloc(N_TERMS * sizeof *e);
    size_t *lens = xmalloc(N_TERMS * sizeof *lens);
    unsigned *flags = xmalloc(N_TERMS * sizeof *flags), *ids = xmalloc(N_TERMS * sizeof *ids);
    for (size_t i = 0; i < N_TERMS; i++) {
        e[i] = terms[i].text;
        lens[i] = strlen(terms[i].text);
        flags[i] = HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH;
        ids[i] = (unsigned)i;
    }
    if (hs_compile_lit_multi(e, flags, ids, lens, N_TERMS, HS_MODE_BLOCK, NULL, &h->lit, &ce) !=
        HS_SUCCESS)
        die("vectorscan: terms: %s", ce ? ce->message : "?");
    for (size_t i = 0; i < N_RE; i++) {
        e[i] = re[i].src;
        flags[i] = HS_FLAG_CASELESS | HS_FLAG_UTF8 | HS_FLAG_UCP | HS_FLAG_SINGLEMATCH;
    }
    if (hs_compile_multi(e, flags, ids, N_RE, HS_MODE_BLOCK, NULL, &h->re, &ce) != HS_SUCCESS)
        die("vectorscan: regex %d: %s", ce ? ce->expression : -1, ce ? ce->message : "?");
    h->scratch = NULL;
    if (hs_alloc_scratch(h->lit, &h->scratch) != HS_SUCCESS ||
        hs_alloc_scratch(h->re, &h->scratch) != HS_SUCCESS)
        die("vectorscan: scratch");
    free(e);
    free(lens);
    free(flags);
    free(ids);
}

static size_t hs_hits(hsdbs *h, const char *s, size_t len)
{
    size_t hits = 0;
    hs_scan(h->lit, s, (unsigned)len, 0, h->scratch, on_hit, &hits);
    if (!hits)
        hs_scan(h->re, s, (unsigned)len, 0, h->scratch, on_hit, &hits);
    return hits;
}

/*---- Output ----*/

static FILE *open_out(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        die("cannot write %s: %s", path, strerror(errno));
    return f;
}

static void close_out(FILE *f, const char *name)
{
    if (ferror(f) | fclose(f))
        die("write error on %s", name);
}

static void usage(FILE *f)
{
    fprintf(f, "usage: bench_gen_posts [--mb N] [--seed S] [--dict PATH|none] [--out DIR]\n"
               "                       [--plant-share PCT] [--disguise-share PCT] [--print-key]\n"
               "  --mb N             posts.jsonl of at least N*10^6 bytes (default 100; 0.5 ok)\n"
               "  --seed S           PRNG seed (default 1)\n"
               "  --dict PATH|none   English words (default %s if present)\n"
               "  --out DIR          output folder (default .)\n"
               "  --plant-share PCT  posts carrying one planted term (default 10)\n"
               "  --disguise-share PCT  plants that are disguised (default 50)\n"
               "  --print-key        print the data key for these arguments and exit\n",
            DICT_DEFAULT);
}

int main(int argc, char **argv)
{
    double mb = 100, plant_share = 10, disguise_share = 50;
    uint64_t seed = 1;
    const char *dict = DICT_DEFAULT, *outdir = ".";
    int print_key = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--print-key")) {
            print_key = 1;
            continue;
        }
        if (!val) {
            usage(stderr);
            return 2;
        }
        i++;
        if (!strcmp(a, "--mb"))
            mb = strtod(val, NULL);
        else if (!strcmp(a, "--seed"))
            seed = strtoull(val, NULL, 10);
        else if (!strcmp(a, "--dict"))
            dict = val;
        else if (!strcmp(a, "--out"))
            outdir = val;
        else if (!strcmp(a, "--plant-share"))
            plant_share = strtod(val, NULL);
        else if (!strcmp(a, "--disguise-share"))
            disguise_share = strtod(val, NULL);
        else {
            usage(stderr);
            return 2;
        }
    }
    if (mb <= 0 || plant_share < 0 || plant_share > 100 || disguise_share < 0 ||
        disguise_share > 100) {
        usage(stderr);
        return 2;
    }

    /* Vocabulary. */
    vocab v;
    memset(&v, 0, sizeof v);
    wl_split(&v.en_common, en_common_src);
    wl_split(&v.roman, roman_src);
    wl_split(&v.urdu, urdu_src);
    wl_split(&v.noise, noise_src);
    v.dict_words = strcmp(dict, "none") ? load_dict(dict, &v.en_dict) : 0;
    v.source = v.dict_words ? dict : "built-in";
    if (!v.dict_words)
        wl_split(&v.en_dict, en_fallback_src);
    char key[512];
    snprintf(key, sizeof key,
             "gen_posts v%d seed=%llu mb=%g plant=%g disguise=%g terms=%d regexes=%d vocab=%s:%zu",
             GEN_VERSION, (unsigned long long)seed, mb, plant_share, disguise_share, N_TERMS, N_RE,
             v.source, v.en_dict.n);
    if (print_key) {
        printf("%s\n", key);
        return 0;
    }
    mkdir(outdir, 0777);

    rng r;
    rng_seed(&r, seed);
    wl_shuffle(&v.en_dict, &r); /* Zipf ranks over a seeded order, not alphabetical */
    wl_zipf(&v.en_common, 1.0);
    wl_zipf(&v.en_dict, 0.9);
    wl_zipf(&v.roman, 0.85);
    wl_zipf(&v.urdu, 0.85);

    grams g;
    memset(&g, 0, sizeof g);
    const wordlist *all[] = {&v.en_common, &v.en_dict, &v.roman, &v.urdu, &v.noise};
    for (size_t l = 0; l < NELEM(all); l++)
        for (size_t i = 0; i < all[l]->n; i++)
            grams_add_word(&g, all[l]->w[i]);

    double t0 = bu_now();
    term *terms = xmalloc(N_TERMS * sizeof *terms);
    regex *re = xmalloc(N_RE * sizeof *re);
    make_terms(&g, &r, &v.en_common, &v.roman, &v.urdu, terms);
    make_regexes(&g, &r, re);

    /* terms.txt, policy.yaml, raw_patterns.tsv */
    FILE *f = open_out(outdir, "terms.txt");
    fprintf(f, "# %d invented terms (en-like, Urdu, Roman Urdu): %s\n", N_TERMS, key);
    for (size_t i = 0; i < N_TERMS; i++)
        fprintf(f, "%s\n", terms[i].text);
    close_out(f, "terms.txt");
    f = open_out(outdir, "policy.yaml");
    fprintf(f, "# Generated by bench_gen_posts: %s\n"
               "# Regexes are written for the normalised stream: lowercase, one space\n"
               "# between tokens, repeated letters squeezed.\n"
               "version: 1\n"
               "standards:\n"
               "  - id: bench\n"
               "    title: Benchmark terms\n"
               "    action: review\n"
               "    rules:\n"
               "      - terms_file: terms.txt\n",
            key);
    for (size_t i = 0; i < N_RE; i++)
        fprintf(f, "      - regex: '%s'\n", re[i].src);
    close_out(f, "policy.yaml");
    f = open_out(outdir, "raw_patterns.tsv");
    fprintf(f, "# The ceiling's patterns over raw bytes: lit = caseless literal, re = regex\n");
    for (size_t i = 0; i < N_TERMS; i++)
        fprintf(f, "lit\t%s\n", terms[i].text);
    for (size_t i = 0; i < N_RE; i++)
        fprintf(f, "re\t%s\n", re[i].src);
    close_out(f, "raw_patterns.tsv");

    hsdbs h;
    hs_build(&h, terms, re);

    /* Posts. */
    size_t *term_idx[3], nterm_idx[3] = {0, 0, 0};
    for (int l = 0; l < 3; l++)
        term_idx[l] = xmalloc(N_TERMS * sizeof(size_t));
    for (size_t i = 0; i < N_TERMS; i++)
        term_idx[terms[i].lang][nterm_idx[terms[i].lang]++] = i;

    FILE *fp = open_out(outdir, "posts.jsonl"), *ft = open_out(outdir, "truth.tsv");
    fprintf(ft, "id\tplanted\tdisguised\tterm\tkind\tdisguise\tlang\n");
    uint64_t limit = (uint64_t)(mb * 1e6), written = 0, text_bytes = 0;
    size_t nposts = 0, nplanted = 0, ndisg = 0, rejected = 0, nregex = 0, plain_misses = 0;
    size_t ndisg_kind[D_COUNT] = {0};
    post p;
    memset(&p, 0, sizeof p);
    sbuf tmp = {0}, pc = {0}, inst = {0}, ptxt = {0}, text = {0};
    plant pl;
    while (written < limit) {
        nposts++;
        size_t lk = rnd(&r, 100);
        int lang = lk < 50 ? LANG_EN : lk < 75 ? LANG_UR : LANG_ROMAN;
        int planted = pct(&r, plant_share), disguised = 0, is_regex = 0;
        disguise d = D_PLAIN;
        sb_clear(&ptxt);
        sb_clear(&inst);
        if (planted) {
            is_regex = pct(&r, REGEX_PLANT_PCT);
            if (is_regex) {
                size_t base = lang == LANG_UR ? N_RE_LATIN : 0;
                size_t n = lang == LANG_UR ? N_RE_UR : N_RE_LATIN;
                regex_instance(&re[base + rnd(&r, n)], &r, &v.en_common, &inst);
            } else {
                size_t t = term_idx[lang][rnd(&r, nterm_idx[lang])];
                sb_puts(&inst, terms[t].text);
            }
            plant_init(&pl, inst.s);
            if (pct(&r, disguise_share)) {
                d = disguise_plant(&pl, &r, lang == LANG_UR);
                disguised = d != D_PLAIN;
            }
            plant_render(&pl, &ptxt);
        }
        /* Clean text, checked; then the plant between two safe pieces. */
        for (;;) {
            make_clean(&p, &v, &r, lang, planted ? ptxt.len : 0, &tmp, &pc);
            sb_clear(&text);
            sb_put(&text, p.buf.s, p.buf.len);
            if (!hs_hits(&h, text.s, text.len))
                break;
            rejected++;
        }
        sb_clear(&text);
        size_t at = p.n + 1;
        if (planted) {
            for (int tries = 0; tries < 50; tries++) {
                size_t i = rnd(&r, p.n + 1);
                if ((i == 0 || p.pc[i - 1].safe) && (i == p.n || p.pc[i].safe)) {
                    at = i;
                    break;
                }
            }
            if (at > p.n)
                at = 0;
        }
        for (size_t i = 0; i <= p.n; i++) {
            if (i == at) {
                sb_put(&text, ptxt.s, ptxt.len);
                sb_puts(&text, i == p.n ? "" : pct(&r, 85) ? " " : lang == LANG_UR ? "، " : ", ");
            }
            if (i < p.n)
                sb_put(&text, p.buf.s + p.pc[i].off, p.pc[i].len);
        }
        while (text.len && (text.s[text.len - 1] == ' ' || text.s[text.len - 1] == '\n'))
            text.s[--text.len] = '\0';
        if (planted && !disguised && !hs_hits(&h, text.s, text.len))
            plain_misses++; /* a plain plant the ceiling cannot see: a generator bug */

        char id[32];
        snprintf(id, sizeof id, "p%zu", nposts);
        fprintf(fp, "{\"id\":\"%s\",\"text\":", id);
        bu_json_write_string(fp, text.s, text.len);
        if (pct(&r, 95))
            fprintf(fp, ",\"lang\":\"%s\"}\n", lang_names[lang]);
        else
            fputs("}\n", fp);
        written = (uint64_t)ftello(fp);
        text_bytes += text.len;
        fprintf(ft, "%s\t%d\t%d\t%s\t%s\t%s\t%s\n", id, planted, disguised,
                planted ? inst.s : "", planted ? (is_regex ? "regex" : "term") : "",
                planted ? disguise_names[d] : "clean", lang_names[lang]);
        nplanted += planted;
        ndisg += disguised;
        nregex += planted && is_regex;
        if (planted)
            ndisg_kind[d]++;
    }
    close_out(fp, "posts.jsonl");
    close_out(ft, "truth.tsv");
    f = open_out(outdir, "gen.key");
    fprintf(f, "%s\n", key);
    close_out(f, "gen.key");

    fprintf(stderr,
            "bench_gen_posts: %zu posts, %llu bytes (%llu text bytes) in %s/posts.jsonl, %.1f s\n"
            "  vocabulary: %s (%zu English words), %zu Roman Urdu, %zu Urdu\n"
            "  %d terms, %d regexes; %zu planted (%zu from regexes), %zu disguised; "
            "%zu clean drafts rejected by the vectorscan check\n  disguises:",
            nposts, (unsigned long long)written, (unsigned long long)text_bytes, outdir,
            bu_now() - t0, v.source, v.en_dict.n, v.roman.n, v.urdu.n, N_TERMS, N_RE, nplanted,
            nregex, ndisg, rejected);
    for (int d = 0; d < D_COUNT; d++)
        if (ndisg_kind[d])
            fprintf(stderr, " %s %zu", disguise_names[d], ndisg_kind[d]);
    fputc('\n', stderr);
    if (plain_misses)
        die("%zu plain plants are not found by the raw literal/regex scan: generator bug",
            plain_misses);
    hs_free_scratch(h.scratch);
    hs_free_database(h.lit);
    hs_free_database(h.re);
    return 0;
}
