/*
 * _sheetscan: a byte-level scanner for the <sheetData> of an XLSX worksheet.
 *
 * The Python side (sikumi/imports/fastsheet.py) decompresses the sheet XML in blocks and feeds
 * them to a Scanner, which parses complete <row> elements into Python values and collects them
 * into slices of rows; a row cut by the end of a block is dropped and parsed again from the next
 * call's buffer (the caller keeps the unparsed tail). Shared strings are parsed the same way by
 * shared_strings().
 *
 * Cell values are those python-calamine (calamine 0.37) gives through to_python():
 *   - strings: shared (t="s"), inline (<is>, rich-text runs concatenated, phonetic <rPh> runs
 *     skipped), formula results (t="str"); entities decoded, CR and CRLF read as LF, a <t>
 *     without xml:space="preserve" trimmed of XML white space, then the OOXML escapes _xHHHH_
 *     decoded (U+0000 to U+00FF only, as calamine);
 *   - numbers as float, or date/time/datetime/timedelta when the cell style's number format is a
 *     date or duration format (the kind of every cellXfs entry is computed on the Python side);
 *   - booleans, error cells as "", ISO dates (t="d") through a Python callable;
 *   - a cell element with no value as "".
 * With the Scanner's `strip` option, every str value is then given as Python's `v.strip() or
 * None` would give it (see strip_value); other values are unchanged.
 * Anything that calamine reads differently, rejects or that is ambiguous raises ScanError (a
 * ValueError): the caller then reads the file with calamine instead.
 *
 * Equal short texts and dates are returned as the same (immutable) object, from small caches.
 * Every pointer is checked against the end of the buffer; the buffer is never written to.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <datetime.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Status of a parsing step. */
#define ST_OK 0
#define ST_MORE 1  /* the buffer ends inside the element: more bytes are needed */
#define ST_ERR -1  /* a Python exception is set */

/* Kinds of number formats, one byte per cellXfs entry (see fastsheet._format_kinds). */
#define KIND_OTHER 0
#define KIND_DATETIME 1
#define KIND_DURATION 2

/* Value types from the t attribute of <c>. */
enum { T_NUM, T_NUM_EXPLICIT, T_SST, T_STR, T_INLINE, T_BOOL, T_ERROR, T_ISO };

#define MAX_COLUMNS 16384
/* Slots of the caches of recent strings and dates (a power of two), longest cached string. */
#define CACHE_SLOTS 4096
#define CACHE_MAX_LEN 48
/* Columns whose use of the string cache is measured; a column of unique texts (an ID number)
   would only evict the useful entries, so it stops using the cache (see scanner_str). */
#define STAT_COLUMNS 64
#define MS_PER_DAY 86400000LL
/* 1899-12-30 (the Excel epoch used by calamine) as days since 1970-01-01. */
#define EPOCH_DAYS (-25569LL)
/* The first day that calamine's date arithmetic (chrono) reaches, -262143-01-02, as days since
   1970-01-01 (measured: calamine 0.37 gives the number itself for earlier dates). */
#define CHRONO_MIN_DAY (-96465292LL)

#define IS_WS(c) ((c) == ' ' || (c) == '\t' || (c) == '\n' || (c) == '\r')
/* The ASCII characters that str.isspace() (and so str.strip()) takes for white space:
   \t \n \v \f \r, the separators \x1c to \x1f and the space. */
#define IS_ASCII_SPACE(c) (((c) >= 0x09 && (c) <= 0x0D) || ((c) >= 0x1C && (c) <= 0x20))
/* A character that may follow an element name: white space, '>' or '/'. */
#define IS_NAME_END(c) (IS_WS(c) || (c) == '>' || (c) == '/')

static PyObject *ScanError;   /* sikumi.imports._sheetscan.ScanError(ValueError) */
static PyObject *empty_str;   /* "" */

/* ------------------------------------------------------------------------------------------ */
/* Errors and small helpers                                                                   */

static int
fail(const char *message)
{
    PyErr_SetString(ScanError, message);
    return ST_ERR;
}

/* Growable byte buffer for decoded text. */
typedef struct {
    char *data;
    Py_ssize_t size;
    Py_ssize_t cap;
} Text;

static int
text_reserve(Text *text, Py_ssize_t extra)
{
    if (extra < 0 || text->size > PY_SSIZE_T_MAX - extra) {
        PyErr_NoMemory();
        return ST_ERR;
    }
    Py_ssize_t need = text->size + extra;
    if (need <= text->cap) {
        return ST_OK;
    }
    Py_ssize_t cap = text->cap ? text->cap : 256;
    while (cap < need) {
        cap = cap > PY_SSIZE_T_MAX / 2 ? need : cap * 2;
    }
    char *data = PyMem_Realloc(text->data, (size_t)cap);
    if (data == NULL) {
        PyErr_NoMemory();
        return ST_ERR;
    }
    text->data = data;
    text->cap = cap;
    return ST_OK;
}

static void
text_free(Text *text)
{
    PyMem_Free(text->data);
    text->data = NULL;
    text->size = text->cap = 0;
}

/* First occurrence of c in [p, end), or NULL. Most searches are short (the next '<' of a row),
   where a plain loop beats a call to memchr. */
static inline const char *
find_char(const char *p, const char *end, char c)
{
    const char *stop = end - p > 16 ? p + 16 : end;
    for (; p < stop; p++) {
        if (*p == c) {
            return p;
        }
    }
    return p < end ? memchr(p, c, (size_t)(end - p)) : NULL;
}

/* The end of character data starting at p (its '<'), or NULL; *special is set when the text
   holds '&', CR or '_' (entity, line end or _xHHHH_ escape to decode). Sixteen bytes at a time
   where SSE2 is available: this runs over every value of the sheet. */
static inline const char *
find_text_end(const char *p, const char *end, int *special)
{
#if defined(__SSE2__)
    const __m128i lt = _mm_set1_epi8('<'), amp = _mm_set1_epi8('&');
    const __m128i cr = _mm_set1_epi8('\r'), underscore = _mm_set1_epi8('_');
    while (end - p >= 16) {
        __m128i block = _mm_loadu_si128((const __m128i *)(const void *)p);
        unsigned stop = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(block, lt));
        unsigned marks = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(block, amp), _mm_cmpeq_epi8(block, cr)),
                         _mm_cmpeq_epi8(block, underscore)));
        if (stop) {
            unsigned index = (unsigned)__builtin_ctz(stop);
            if (marks & ((1u << index) - 1u)) {
                *special = 1;
            }
            return p + index;
        }
        if (marks) {
            *special = 1;
        }
        p += 16;
    }
#endif
    for (; p < end; p++) {
        if (*p == '<') {
            return p;
        }
        if (*p == '&' || *p == '\r' || *p == '_') {
            *special = 1;
        }
    }
    return NULL;
}

/* True when [p, end) starts with the element name `name` followed by a name end ("<v>", "<v ",
   "<v/"): *more is set when the buffer ends before this can be decided. */
static inline int
name_is(const char *p, const char *end, const char *name, size_t len, int *more)
{
    if ((size_t)(end - p) <= len) {
        /* Not enough bytes: a prefix of the name may still be completed by the next block. */
        if (memcmp(p, name, (size_t)(end - p)) == 0) {
            *more = 1;
        }
        return 0;
    }
    return memcmp(p, name, len) == 0 && IS_NAME_END(p[len]);
}

/* Moves past a closing tag "</name>" that starts at p (p[0] == '<', p[1] == '/'); the name is
   not checked here. Returns ST_MORE when its '>' is not in the buffer. */
static int
skip_closing_tag(const char **pp, const char *end)
{
    const char *gt = find_char(*pp, end, '>');
    if (gt == NULL) {
        return ST_MORE;
    }
    *pp = gt + 1;
    return ST_OK;
}

/* Attributes of an element that the scanner reads. */
typedef struct {
    const char *r, *r_end;
    const char *s, *s_end;
    const char *t, *t_end;
    int preserve; /* xml:space="preserve" */
} Attrs;

/* Parses the attributes of an element from p (just after its name) to its '>' or '/>'; *pp is
   moved past it. Only r, s, t and xml:space are kept; values may be quoted with " or '. */
static int
parse_attrs(const char **pp, const char *end, Attrs *attrs, int *self_closing)
{
    const char *p = *pp;
    memset(attrs, 0, sizeof(*attrs));
    for (;;) {
        while (p < end && IS_WS(*p)) {
            p++;
        }
        if (p >= end) {
            return ST_MORE;
        }
        if (*p == '>') {
            *self_closing = 0;
            *pp = p + 1;
            return ST_OK;
        }
        if (*p == '/') {
            if (p + 1 >= end) {
                return ST_MORE;
            }
            if (p[1] != '>') {
                return fail("malformed element end");
            }
            *self_closing = 1;
            *pp = p + 2;
            return ST_OK;
        }
        const char *name = p;
        while (p < end && *p != '=' && !IS_WS(*p) && *p != '>' && *p != '/') {
            p++;
        }
        if (p >= end) {
            return ST_MORE;
        }
        size_t name_len = (size_t)(p - name);
        char first = name[0];
        if (name_len == 0 || !((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z') ||
                               first == '_' || first == ':' || (unsigned char)first >= 0x80)) {
            return fail("malformed attribute");
        }
        while (p < end && IS_WS(*p)) {
            p++;
        }
        if (p >= end) {
            return ST_MORE;
        }
        if (*p != '=') {
            return fail("malformed attribute");
        }
        p++;
        while (p < end && IS_WS(*p)) {
            p++;
        }
        if (p >= end) {
            return ST_MORE;
        }
        char quote = *p;
        if (quote != '"' && quote != '\'') {
            return fail("malformed attribute value");
        }
        const char *value = p + 1;
        const char *value_end = find_char(value, end, quote);
        if (value_end == NULL) {
            return ST_MORE;
        }
        if (name_len == 1) {
            if (name[0] == 'r') {
                attrs->r = value;
                attrs->r_end = value_end;
            }
            else if (name[0] == 's') {
                attrs->s = value;
                attrs->s_end = value_end;
            }
            else if (name[0] == 't') {
                attrs->t = value;
                attrs->t_end = value_end;
            }
        }
        else if (name_len == 9 && memcmp(name, "xml:space", 9) == 0) {
            attrs->preserve = (value_end - value == 8 && memcmp(value, "preserve", 8) == 0);
        }
        p = value_end + 1;
    }
}

/* Value of an unsigned decimal attribute (row number, style index): -1 when it is empty or has
   another character than a digit, -2 when it exceeds 2^31. */
static long long
parse_index(const char *p, const char *end)
{
    if (p == NULL || p >= end) {
        return -1;
    }
    long long value = 0;
    int overflow = 0;
    for (; p < end; p++) {
        if (*p < '0' || *p > '9') {
            return -1;
        }
        value = value * 10 + (*p - '0');
        if (value > 0x7fffffffLL) {
            overflow = 1;
            value = 0x7fffffffLL;
        }
    }
    return overflow ? -2 : value;
}

/* ------------------------------------------------------------------------------------------ */
/* Text: entities, line ends, trimming                                                        */

static int
append_utf8(Text *out, unsigned long code)
{
    char *q = out->data + out->size;
    if (code < 0x80) {
        q[0] = (char)code;
        out->size += 1;
    }
    else if (code < 0x800) {
        q[0] = (char)(0xC0 | (code >> 6));
        q[1] = (char)(0x80 | (code & 0x3F));
        out->size += 2;
    }
    else if (code < 0x10000) {
        q[0] = (char)(0xE0 | (code >> 12));
        q[1] = (char)(0x80 | ((code >> 6) & 0x3F));
        q[2] = (char)(0x80 | (code & 0x3F));
        out->size += 3;
    }
    else {
        q[0] = (char)(0xF0 | (code >> 18));
        q[1] = (char)(0x80 | ((code >> 12) & 0x3F));
        q[2] = (char)(0x80 | ((code >> 6) & 0x3F));
        q[3] = (char)(0x80 | (code & 0x3F));
        out->size += 4;
    }
    return ST_OK;
}

/* Appends the character data [p, end) to out: entities decoded (the five XML ones and numeric
   references), CRLF and CR read as LF. The decoded text is never longer than the source. */
static int
append_decoded(Text *out, const char *p, const char *end)
{
    if (text_reserve(out, end - p) < 0) {
        return ST_ERR;
    }
    while (p < end) {
        const char *special = p;
        while (special < end && *special != '&' && *special != '\r') {
            special++;
        }
        memcpy(out->data + out->size, p, (size_t)(special - p));
        out->size += special - p;
        p = special;
        if (p >= end) {
            break;
        }
        if (*p == '\r') {
            out->data[out->size++] = '\n';
            p += (p + 1 < end && p[1] == '\n') ? 2 : 1;
            continue;
        }
        /* An entity reference: &name; */
        const char *semi = memchr(p, ';', (size_t)(end - p) < 12 ? (size_t)(end - p) : 12);
        if (semi == NULL) {
            return fail("unterminated entity reference");
        }
        const char *name = p + 1;
        size_t len = (size_t)(semi - name);
        if (len == 2 && memcmp(name, "lt", 2) == 0) {
            out->data[out->size++] = '<';
        }
        else if (len == 2 && memcmp(name, "gt", 2) == 0) {
            out->data[out->size++] = '>';
        }
        else if (len == 3 && memcmp(name, "amp", 3) == 0) {
            out->data[out->size++] = '&';
        }
        else if (len == 4 && memcmp(name, "quot", 4) == 0) {
            out->data[out->size++] = '"';
        }
        else if (len == 4 && memcmp(name, "apos", 4) == 0) {
            out->data[out->size++] = '\'';
        }
        else if (len >= 2 && name[0] == '#') {
            unsigned long code = 0;
            const char *d = name + 1;
            int hex = (*d == 'x');
            if (hex) {
                d++;
            }
            if (d >= semi) {
                return fail("malformed character reference");
            }
            for (; d < semi; d++) {
                int digit;
                if (*d >= '0' && *d <= '9') {
                    digit = *d - '0';
                }
                else if (hex && *d >= 'a' && *d <= 'f') {
                    digit = *d - 'a' + 10;
                }
                else if (hex && *d >= 'A' && *d <= 'F') {
                    digit = *d - 'A' + 10;
                }
                else {
                    return fail("malformed character reference");
                }
                code = code * (hex ? 16 : 10) + (unsigned long)digit;
                if (code > 0x10FFFF) {
                    return fail("character reference out of range");
                }
            }
            if (code == 0 || (code >= 0xD800 && code <= 0xDFFF)) {
                return fail("invalid character reference");
            }
            append_utf8(out, code);
        }
        else {
            return fail("unknown entity reference");
        }
        p = semi + 1;
    }
    return ST_OK;
}

/* A Python str from UTF-8 text, trimmed of XML white space unless `preserve`. */
static PyObject *
make_str(const char *p, const char *end, int preserve)
{
    if (!preserve) {
        while (p < end && IS_WS(*p)) {
            p++;
        }
        while (end > p && IS_WS(end[-1])) {
            end--;
        }
    }
    if (p == end) {
        return Py_NewRef(empty_str);
    }
    return PyUnicode_DecodeUTF8(p, end - p, "strict");
}

/* True when [p, end) may need decoding: an entity reference, a CR or an _xHHHH_ escape. */
static inline int
needs_decoding(const char *p, const char *end)
{
    for (; p < end; p++) {
        if (*p == '&' || *p == '\r' || *p == '_') {
            return 1;
        }
    }
    return 0;
}

static int
hex_value(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* Finishes the text decoded from `mark` on in the buffer: trims it of XML white space unless
   `preserve`, then (with `xescapes`) replaces the OOXML escapes _xHHHH_ by their character. As
   calamine 0.37 does, only U+0000 to U+00FF are replaced (other escapes stay as written), once,
   from left to right. Works in place: the result is never longer. */
static void
finish_piece(Text *text, Py_ssize_t mark, int preserve, int xescapes)
{
    char *data = text->data;
    Py_ssize_t start = mark, stop = text->size;
    if (!preserve) {
        while (start < stop && IS_WS(data[start])) {
            start++;
        }
        while (stop > start && IS_WS(data[stop - 1])) {
            stop--;
        }
    }
    Py_ssize_t out = mark;
    for (Py_ssize_t i = start; i < stop;) {
        if (xescapes && data[i] == '_' && stop - i >= 7 && data[i + 1] == 'x' &&
            data[i + 6] == '_') {
            int h0 = hex_value(data[i + 2]), h1 = hex_value(data[i + 3]);
            int h2 = hex_value(data[i + 4]), h3 = hex_value(data[i + 5]);
            if (h0 == 0 && h1 == 0 && h2 >= 0 && h3 >= 0) {
                unsigned code = (unsigned)(h2 * 16 + h3);
                if (code < 0x80) {
                    data[out++] = (char)code;
                }
                else {
                    data[out++] = (char)(0xC0 | (code >> 6));
                    data[out++] = (char)(0x80 | (code & 0x3F));
                }
                i += 7;
                continue;
            }
        }
        data[out++] = data[i++];
    }
    text->size = out;
}

/* A Python str from character data: entities decoded, line ends normalised, trimmed unless
   `preserve`, _xHHHH_ escapes decoded when `xescapes` (see finish_piece). */
static PyObject *
decode_str(Text *scratch, const char *p, const char *end, int preserve, int xescapes)
{
    if (!needs_decoding(p, end)) {
        return make_str(p, end, preserve);
    }
    scratch->size = 0;
    if (append_decoded(scratch, p, end) < 0) {
        return NULL;
    }
    finish_piece(scratch, 0, preserve, xescapes);
    return make_str(scratch->data, scratch->data + scratch->size, 1);
}

/* Parses rich text (the content of <si> or <is>) from p, just after the opening tag, up to and
   past the closing tag </close>: the text of every <t> outside <rPh> runs, concatenated. When
   `plain` is given and the text is a single <t> that needs no decoding, *out is NULL and
   [*plain, *plain_end) is the raw text, to be trimmed and made a str by the caller. */
static int
scan_rich(Text *scratch, const char **pp, const char *end, const char *close, size_t close_len,
          PyObject **out, const char **plain, const char **plain_end)
{
    const char *p = *pp;
    /* The first piece is kept as a pointer range: most strings are a single plain <t>. */
    const char *first = NULL, *first_end = NULL;
    int first_preserve = 0, pieces = 0, phonetic = 0, more = 0;
    Attrs attrs;
    int self_closing;
    scratch->size = 0;
    for (;;) {
        const char *lt = find_char(p, end, '<');
        if (lt == NULL || end - lt < 2) {
            return ST_MORE;
        }
        p = lt;
        if (p[1] == '/') {
            const char *name = p + 2;
            more = 0;
            if (name_is(name, end, close, close_len, &more)) {
                if (skip_closing_tag(&p, end) == ST_MORE) {
                    return ST_MORE;
                }
                break;
            }
            if (more) {
                return ST_MORE;
            }
            if (name_is(name, end, "rPh", 3, &more)) {
                phonetic = 0;
            }
            else if (more) {
                return ST_MORE;
            }
            if (skip_closing_tag(&p, end) == ST_MORE) {
                return ST_MORE;
            }
            continue;
        }
        if (p[1] == '!' || p[1] == '?') {
            return fail("comments, CDATA and processing instructions are not supported in text");
        }
        const char *name = p + 1;
        const char *name_end = name;
        while (name_end < end && !IS_NAME_END(*name_end)) {
            if (*name_end == ':') {
                return fail("namespace-prefixed elements are not supported");
            }
            name_end++;
        }
        if (name_end >= end) {
            return ST_MORE;
        }
        size_t name_len = (size_t)(name_end - name);
        p = name_end;
        int st = parse_attrs(&p, end, &attrs, &self_closing);
        if (st != ST_OK) {
            return st;
        }
        if (name_len == 3 && memcmp(name, "rPh", 3) == 0) {
            phonetic = !self_closing;
            continue;
        }
        if (!(name_len == 1 && name[0] == 't') || self_closing) {
            continue;
        }
        /* <t>: character data up to </t>. */
        const char *text = p;
        const char *text_end = find_char(p, end, '<');
        if (text_end == NULL || end - text_end < 4) {
            return ST_MORE;
        }
        if (memcmp(text_end, "</t", 3) != 0 || !IS_NAME_END(text_end[3])) {
            return fail("unexpected markup inside <t>");
        }
        p = text_end;
        if (skip_closing_tag(&p, end) == ST_MORE) {
            return ST_MORE;
        }
        if (phonetic) {
            continue;
        }
        pieces++;
        if (pieces == 1) {
            first = text;
            first_end = text_end;
            first_preserve = attrs.preserve;
            continue;
        }
        if (pieces == 2) {
            /* Several pieces: each is decoded and finished on its own, in the scratch buffer. */
            if (append_decoded(scratch, first, first_end) < 0) {
                return ST_ERR;
            }
            finish_piece(scratch, 0, first_preserve, 1);
        }
        Py_ssize_t mark = scratch->size;
        if (append_decoded(scratch, text, text_end) < 0) {
            return ST_ERR;
        }
        finish_piece(scratch, mark, attrs.preserve, 1);
    }
    *pp = p;
    if (pieces == 0) {
        *out = Py_NewRef(empty_str);
    }
    else if (pieces == 1) {
        if (plain != NULL && !first_preserve && !needs_decoding(first, first_end)) {
            /* Left to the caller (the scanner's cache of strings). */
            *plain = first;
            *plain_end = first_end;
            *out = NULL;
            return ST_OK;
        }
        *out = decode_str(scratch, first, first_end, first_preserve, 1);
    }
    else {
        *out = make_str(scratch->data, scratch->data + scratch->size, 1);
    }
    return *out == NULL ? ST_ERR : ST_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* The strip option: `v.strip() or None` for str values                                       */

/* True when the str `text` is not what text.strip() gives or is empty: its first or last
   character is white space as str.isspace() sees it (Py_UNICODE_ISSPACE is what str.strip()
   itself tests, Unicode included). Two reads for the usual text. */
static inline int
str_needs_strip(PyObject *text)
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(text);
    if (len == 0) {
        return 1;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    return Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, 0)) ||
           Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, len - 1));
}

/* `text.strip() or None` for a str that needs it (see str_needs_strip). Steals the reference to
   text; NULL on error. */
static PyObject *
strip_str(PyObject *value)
{
    Py_ssize_t start = 0, stop = PyUnicode_GET_LENGTH(value);
    int kind = PyUnicode_KIND(value);
    const void *data = PyUnicode_DATA(value);
    while (start < stop && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, start))) {
        start++;
    }
    while (stop > start && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, stop - 1))) {
        stop--;
    }
    PyObject *result =
        start == stop ? Py_NewRef(Py_None) : PyUnicode_Substring(value, start, stop);
    Py_DECREF(value);
    return result;
}

/* `value.strip() or None` for a str value; other values, a str subclass included, as they are
   (the importer tested `v.__class__ is str`). Steals the reference to value; NULL on error. This
   runs for every cell: a non-empty ASCII text (nearly every text of a sheet) is settled by its
   first and last byte, without a table lookup. */
static inline PyObject *
strip_value(PyObject *value)
{
    if (!PyUnicode_CheckExact(value)) {
        return value;
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(value);
    if (len > 0 && PyUnicode_IS_COMPACT_ASCII(value)) {
        /* The characters of a compact ASCII str follow its header (_PyUnicode_COMPACT_DATA). */
        const unsigned char *data = (const unsigned char *)(((PyASCIIObject *)value) + 1);
        if (!IS_ASCII_SPACE(data[0]) && !IS_ASCII_SPACE(data[len - 1])) {
            return value;
        }
    }
    else if (!str_needs_strip(value)) {
        return value;
    }
    return strip_str(value);
}

/* The shared strings as the strip option gives them: the list itself when no string needs
   stripping (the usual case, no copy), else a new list of the same strings (references, not
   copies) in which only those that need it are replaced by `s.strip() or None`. Stripping the
   table once beats stripping at every use of a string (one object per use); the copy costs a
   pointer per string, only for a table that has such strings. */
static PyObject *
stripped_strings(PyObject *strings)
{
    PyObject *copy = NULL;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(strings); i++) {
        PyObject *text = PyList_GET_ITEM(strings, i);
        if (!PyUnicode_CheckExact(text) || !str_needs_strip(text)) {
            continue;
        }
        if (copy == NULL) {
            copy = PyList_GetSlice(strings, 0, PyList_GET_SIZE(strings));
            if (copy == NULL) {
                return NULL;
            }
        }
        PyObject *stripped = strip_str(Py_NewRef(text));
        if (stripped == NULL) {
            Py_DECREF(copy);
            return NULL;
        }
        PyList_SetItem(copy, i, stripped); /* steals stripped, releases the old item */
    }
    return copy != NULL ? copy : Py_NewRef(strings);
}

/* ------------------------------------------------------------------------------------------ */
/* Scanner state                                                                              */

typedef struct {
    uint32_t row;   /* index of the row in the slice */
    uint32_t col;   /* 0-based column */
    PyObject *value;
} Cell;

typedef struct {
    PyObject_HEAD
    PyObject *strings;     /* list[str]: the shared strings */
    unsigned char *kinds;  /* number format kind per cellXfs index */
    Py_ssize_t nkinds;
    int date1904;
    PyObject *iso;         /* callable(str) -> value, for t="d" cells */
    Py_ssize_t limit;      /* rows per slice */
    int strip;             /* give str values as `v.strip() or None` */
    long long last_row;    /* Excel number of the last parsed row, 0 before the first */
    int done;              /* </sheetData> was reached */
    /* The slice being built. */
    PyObject *numbers;     /* list[int] */
    Cell *cells;
    Py_ssize_t ncells, cap;
    uint32_t width;
    Text scratch;
    /* Recently made values, reused for equal cells (the same str or date object is shared):
       a sheet repeats many short texts and dates, and reusing them saves time and memory. */
    PyObject *str_cache[CACHE_SLOTS];
    uint64_t str_hashes[CACHE_SLOTS]; /* hash of each cached str: a miss reads no object */
    uint32_t col_tries[STAT_COLUMNS];  /* texts of the column looked up lately */
    uint32_t col_hits[STAT_COLUMNS];   /* how many of them were found */
    PyObject *date_cache[CACHE_SLOTS];
    int64_t date_keys[CACHE_SLOTS];
} Scanner;

/* ------------------------------------------------------------------------------------------ */
/* Numbers, dates and durations                                                               */

static const double POW10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                               1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                               1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* True when [p, end) is a number as calamine parses it: [+-]digits[.digits][e[+-]digits] (at
   least one digit in the mantissa), or inf/infinity/nan. */
static int
number_syntax(const char *p, const char *end)
{
    if (p < end && (*p == '+' || *p == '-')) {
        p++;
    }
    size_t rest = (size_t)(end - p);
    if ((rest == 3 || rest == 8) && p < end && (*p | 0x20) >= 'a') {
        const char *word = rest == 3 ? (((*p | 0x20) == 'n') ? "nan" : "inf") : "infinity";
        for (size_t i = 0; i < rest; i++) {
            if ((p[i] | 0x20) != word[i]) {
                return 0;
            }
        }
        return 1;
    }
    int digits = 0;
    while (p < end && *p >= '0' && *p <= '9') {
        p++;
        digits++;
    }
    if (p < end && *p == '.') {
        p++;
        while (p < end && *p >= '0' && *p <= '9') {
            p++;
            digits++;
        }
    }
    if (digits == 0) {
        return 0;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-')) {
            p++;
        }
        if (p >= end || *p < '0' || *p > '9') {
            return 0;
        }
        while (p < end && *p >= '0' && *p <= '9') {
            p++;
        }
    }
    return p == end;
}

/* Parses a number; returns 0 when [p, end) is not one. Integers and short decimals are computed
   exactly (an integer mantissa below 2^53 divided by an exact power of ten is correctly rounded,
   as strtod is); anything else goes through Python's correctly rounded parser. */
static int
parse_number(const char *p, const char *end, double *out)
{
    const char *q = p;
    int negative = 0;
    if (q < end && *q == '-') {
        negative = 1;
        q++;
    }
    uint64_t mantissa = 0;
    int digits = 0, decimals = 0;
    while (q < end && *q >= '0' && *q <= '9' && digits < 16) {
        mantissa = mantissa * 10 + (uint64_t)(*q - '0');
        q++;
        digits++;
    }
    if (q < end && *q == '.') {
        q++;
        while (q < end && *q >= '0' && *q <= '9' && digits < 16) {
            mantissa = mantissa * 10 + (uint64_t)(*q - '0');
            q++;
            digits++;
            decimals++;
        }
    }
    if (q == end && digits > 0 && digits <= 15) {
        double value = (double)mantissa;
        if (decimals) {
            value /= POW10[decimals];
        }
        *out = negative ? -value : value;
        return 1;
    }
    /* The general case: a NUL-terminated copy for PyOS_string_to_double. */
    if (!number_syntax(p, end) || end - p > 400) {
        return 0;
    }
    char copy[402];
    size_t len = (size_t)(end - p);
    memcpy(copy, p, len);
    copy[len] = '\0';
    char *stop = NULL;
    double value = PyOS_string_to_double(copy, &stop, NULL);
    if (value == -1.0 && PyErr_Occurred()) {
        PyErr_Clear();
        return 0;
    }
    if (stop != copy + len) {
        return 0;
    }
    *out = value;
    return 1;
}

/* round(value * 86400000) as Rust's `as i64` gives it (saturating, NaN as 0). */
static int64_t
to_milliseconds(double value)
{
    double ms = round(value * 86400000.0);
    if (isnan(ms)) {
        return 0;
    }
    if (ms >= 9223372036854775807.0) {
        return INT64_MAX;
    }
    if (ms <= -9223372036854775808.0) {
        return INT64_MIN;
    }
    return (int64_t)ms;
}

static int64_t
floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* Proleptic Gregorian date of a day number (days since 1970-01-01), after H. Hinnant. */
static void
civil_from_days(int64_t z, int64_t *year, int *month, int *day)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
    *month = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = yoe + era * 400 + (*month <= 2);
}

/* A number with a date/time format, as python-calamine converts it: below 1 a time of day,
   a whole number a date, else a datetime; the number itself when the date is out of range. */
static PyObject *scanner_date(Scanner *self, int64_t days, int year, int month, int day);

static PyObject *
excel_datetime(Scanner *self, double value)
{
    int date1904 = self->date1904;
    double serial = date1904 ? value + 1462.0 : value;
    /* calamine counts days from 1899-12-30 and skips Excel's 1900-02-29 below 60. */
    if (!(serial >= 60.0)) {
        serial += 1.0;
    }
    int64_t ms = to_milliseconds(serial);
    if (ms == INT64_MIN) {
        /* chrono's TimeDelta::milliseconds panics on this value (calamine cannot read it). */
        return (PyErr_SetString(ScanError, "date value out of range"), NULL);
    }
    int64_t days = floor_div(ms, MS_PER_DAY);
    int64_t in_day = ms - days * MS_PER_DAY;
    int64_t year;
    int month, day;
    civil_from_days(EPOCH_DAYS + days, &year, &month, &day);
    int hour = (int)(in_day / 3600000), minute = (int)(in_day / 60000 % 60);
    int second = (int)(in_day / 1000 % 60), micro = (int)(in_day % 1000) * 1000;
    if (value < 1.0) {
        /* Only the time of day counts, but calamine computes the date first. */
        if (EPOCH_DAYS + days < CHRONO_MIN_DAY) {
            return PyFloat_FromDouble(value);
        }
        return PyTime_FromTime(hour, minute, second, micro);
    }
    if (year > 9999) {
        return PyFloat_FromDouble(value);
    }
    /* Rust's `value == (value as u64) as f64`: whole numbers (u64 saturating at 2^64). */
    int whole = value >= 18446744073709551616.0 ? value == 18446744073709551616.0
                                                 : value == floor(value);
    if (whole) {
        return scanner_date(self, days, (int)year, month, day);
    }
    return PyDateTime_FromDateAndTime((int)year, month, day, hour, minute, second, micro);
}

/* A number with a duration format ([h]:mm:ss...) as a timedelta, to the millisecond. */
static PyObject *
excel_duration(double value)
{
    int64_t ms = to_milliseconds(value);
    int64_t days = floor_div(ms, MS_PER_DAY);
    if (ms == INT64_MIN || days > 999999999 || days < -999999999) {
        /* calamine panics or Python's timedelta overflows: calamine cannot read it either. */
        return (PyErr_SetString(ScanError, "duration out of range"), NULL);
    }
    int64_t in_day = ms - days * MS_PER_DAY;
    return PyDelta_FromDSU((int)days, (int)(in_day / 1000), (int)(in_day % 1000) * 1000);
}

/* ------------------------------------------------------------------------------------------ */
/* Scanner                                                                                    */


/* A str for plain UTF-8 text (no entity, no CR, no escape) of column `col`, trimmed of XML
   white space unless `preserve`. Short ASCII texts go through the cache, unless the column's
   texts are seldom found there lately (one in sixteen): such a column is only looked up now and
   then, to notice when it starts repeating. */
static PyObject *
scanner_str(Scanner *self, uint32_t col, const char *p, const char *end, int preserve)
{
    if (self->strip) {
        /* The strip option: the ASCII white space of str.strip() (XML's and more) is trimmed from
           the bytes, whatever `preserve` says, so that the cache keeps stripped texts; a text
           that starts or ends with non-ASCII white space is left to strip_value. */
        while (p < end && IS_ASCII_SPACE((unsigned char)*p)) {
            p++;
        }
        while (end > p && IS_ASCII_SPACE((unsigned char)end[-1])) {
            end--;
        }
    }
    else if (!preserve) {
        while (p < end && IS_WS(*p)) {
            p++;
        }
        while (end > p && IS_WS(end[-1])) {
            end--;
        }
    }
    Py_ssize_t len = end - p;
    if (len == 0) {
        return Py_NewRef(empty_str);
    }
    if (len > CACHE_MAX_LEN) {
        return PyUnicode_DecodeUTF8(p, len, "strict");
    }
    uint32_t *hits = NULL;
    if (col < STAT_COLUMNS) {
        uint32_t tries = ++self->col_tries[col];
        hits = &self->col_hits[col];
        if (tries > 1024) {
            /* Decay: the counts follow the recent rows. */
            self->col_tries[col] = tries = tries / 2;
            *hits /= 2;
        }
        if (tries >= 256 && *hits * 16 < tries && (tries & 63) != 0) {
            return PyUnicode_DecodeUTF8(p, len, "strict");
        }
    }
    /* Hash and ASCII test eight bytes at a time. */
    uint64_t hash = (uint64_t)len * 0x9E3779B97F4A7C15ULL, high = 0, word;
    Py_ssize_t i = 0;
    for (; i + 8 <= len; i += 8) {
        memcpy(&word, p + i, 8);
        high |= word;
        hash = (hash ^ word) * 0xFF51AFD7ED558CCDULL;
        hash ^= hash >> 32;
    }
    if (i < len) {
        word = 0;
        for (int shift = 0; i < len; i++, shift += 8) {
            word |= (uint64_t)(unsigned char)p[i] << shift;
        }
        high |= word;
        hash = (hash ^ word) * 0xFF51AFD7ED558CCDULL;
        hash ^= hash >> 32;
    }
    if (high & 0x8080808080808080ULL) {
        return PyUnicode_DecodeUTF8(p, len, "strict");
    }
    size_t index = (size_t)(hash & (CACHE_SLOTS - 1));
    PyObject *cached = self->str_cache[index];
    if (cached != NULL && self->str_hashes[index] == hash &&
        PyUnicode_GET_LENGTH(cached) == len &&
        memcmp(PyUnicode_1BYTE_DATA(cached), p, (size_t)len) == 0) {
        if (hits != NULL) {
            ++*hits;
        }
        return Py_NewRef(cached);
    }
    PyObject *text = PyUnicode_New(len, 127);
    if (text == NULL) {
        return NULL;
    }
    memcpy(PyUnicode_1BYTE_DATA(text), p, (size_t)len);
    Py_XSETREF(self->str_cache[index], Py_NewRef(text));
    self->str_hashes[index] = hash;
    return text;
}

/* decode_str() (with _xHHHH_ escapes) through the cache for texts that need no decoding. */
static PyObject *
scanner_decode_str(Scanner *self, uint32_t col, const char *p, const char *end, int preserve)
{
    if (!needs_decoding(p, end)) {
        return scanner_str(self, col, p, end, preserve);
    }
    return decode_str(&self->scratch, p, end, preserve, 1);
}

/* A date through the cache (keyed by its day number). */
static PyObject *
scanner_date(Scanner *self, int64_t days, int year, int month, int day)
{
    size_t index = (size_t)days & (CACHE_SLOTS - 1);
    if (self->date_cache[index] != NULL && self->date_keys[index] == days) {
        return Py_NewRef(self->date_cache[index]);
    }
    PyObject *date = PyDate_FromDate(year, month, day);
    if (date == NULL) {
        return NULL;
    }
    Py_XSETREF(self->date_cache[index], Py_NewRef(date));
    self->date_keys[index] = days;
    return date;
}

static int
push_cell(Scanner *self, uint32_t row, uint32_t col, PyObject *value)
{
    if (self->ncells == self->cap) {
        Py_ssize_t cap = self->cap ? self->cap * 2 : 4096;
        Cell *cells = PyMem_Realloc(self->cells, (size_t)cap * sizeof(Cell));
        if (cells == NULL) {
            Py_DECREF(value);
            PyErr_NoMemory();
            return ST_ERR;
        }
        self->cells = cells;
        self->cap = cap;
    }
    self->cells[self->ncells].row = row;
    self->cells[self->ncells].col = col;
    self->cells[self->ncells].value = value;
    self->ncells++;
    return ST_OK;
}

/* Drops the cells from index `mark` on (a row that could not be completed). */
static void
drop_cells(Scanner *self, Py_ssize_t mark)
{
    for (Py_ssize_t i = mark; i < self->ncells; i++) {
        Py_DECREF(self->cells[i].value);
    }
    self->ncells = mark;
}

static int
is_error_value(const char *p, const char *end)
{
    static const char *const errors[] = {"#DIV/0!", "#N/A",  "#NAME?", "#NULL!",
                                         "#NUM!",   "#REF!", "#VALUE!"};
    size_t len = (size_t)(end - p);
    for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
        if (strlen(errors[i]) == len && memcmp(errors[i], p, len) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Value of the raw text of a <v> element; NULL with no exception set means an empty value. */
static PyObject *
value_of(Scanner *self, uint32_t col, int type, int kind, const char *p, const char *end)
{
    switch (type) {
    case T_NUM:
    case T_NUM_EXPLICIT: {
        if (p == end) {
            return NULL;
        }
        double number;
        if (!parse_number(p, end, &number)) {
            if (type == T_NUM_EXPLICIT || memchr(p, '&', (size_t)(end - p)) != NULL) {
                return (PyErr_SetString(ScanError, "invalid number in a numeric cell"), NULL);
            }
            /* No t attribute: calamine keeps the text as it is. */
            return PyUnicode_DecodeUTF8(p, end - p, "strict");
        }
        if (kind == KIND_DATETIME) {
            return excel_datetime(self, number);
        }
        if (kind == KIND_DURATION) {
            return excel_duration(number);
        }
        return PyFloat_FromDouble(number);
    }
    case T_SST: {
        if (p == end) {
            return NULL;
        }
        /* As calamine: an index that is not a plain number reads as 0. */
        long long index = parse_index(p, end);
        if (index == -1) {
            index = 0;
        }
        if (index < 0 || index >= PyList_GET_SIZE(self->strings)) {
            return (PyErr_SetString(ScanError, "shared string index out of range"), NULL);
        }
        return Py_NewRef(PyList_GET_ITEM(self->strings, index));
    }
    case T_STR:
        return scanner_decode_str(self, col, p, end, 1);
    case T_INLINE:
        /* calamine ignores <v> in an inline-string cell (and the value becomes empty). */
        return NULL;
    case T_BOOL: {
        while (p < end && IS_WS(*p)) {
            p++;
        }
        while (end > p && IS_WS(end[-1])) {
            end--;
        }
        size_t len = (size_t)(end - p);
        if (len == 0) {
            return NULL;
        }
        if (len == 1 && (*p == '1' || *p == '0')) {
            return Py_NewRef(*p == '1' ? Py_True : Py_False);
        }
        if ((len == 4 || len == 5) &&
            PyOS_strnicmp(p, len == 4 ? "true" : "false", len) == 0) {
            return Py_NewRef(len == 4 ? Py_True : Py_False);
        }
        return (PyErr_SetString(ScanError, "invalid boolean value"), NULL);
    }
    case T_ERROR:
        if (p == end || is_error_value(p, end)) {
            return NULL;
        }
        return (PyErr_SetString(ScanError, "unknown cell error value"), NULL);
    case T_ISO: {
        /* calamine decodes no _xHHHH_ escape in an ISO date. */
        PyObject *text = decode_str(&self->scratch, p, end, 1, 0);
        if (text == NULL) {
            return NULL;
        }
        PyObject *value = PyObject_CallOneArg(self->iso, text);
        Py_DECREF(text);
        return value;
    }
    }
    return (PyErr_SetString(ScanError, "unknown cell type"), NULL);
}

static int
cell_type(const Attrs *attrs)
{
    if (attrs->t == NULL) {
        return T_NUM;
    }
    size_t len = (size_t)(attrs->t_end - attrs->t);
#define T_IS(s) (len == sizeof(s) - 1 && memcmp(attrs->t, s, len) == 0)
    if (T_IS("s")) return T_SST;
    if (T_IS("n")) return T_NUM_EXPLICIT;
    if (T_IS("inlineStr")) return T_INLINE;
    if (T_IS("str")) return T_STR;
    if (T_IS("b")) return T_BOOL;
    if (T_IS("e")) return T_ERROR;
    if (T_IS("d")) return T_ISO;
#undef T_IS
    return -1;
}

/* Column (0-based) and row of a cell reference such as "B12" (letters in either case). */
static int
parse_ref(const char *p, const char *end, long long *col, long long *row)
{
    long long c = 0;
    int letters = 0;
    while (p < end && letters < 4) {
        char ch = *p;
        if (ch >= 'A' && ch <= 'Z') {
            c = c * 26 + (ch - 'A' + 1);
        }
        else if (ch >= 'a' && ch <= 'z') {
            c = c * 26 + (ch - 'a' + 1);
        }
        else {
            break;
        }
        p++;
        letters++;
    }
    long long r = parse_index(p, end);
    if (letters == 0 || r < 1 || c > MAX_COLUMNS) {
        return fail("invalid cell reference");
    }
    *col = c - 1;
    *row = r;
    return ST_OK;
}

/* Reads ` N="value"` at *pp for the one-letter attribute name N: 1 and the value's bounds when
   it is there, 0 when the next attribute is another one, -1 when the value is cut by the end of
   the buffer (the caller then takes the general path). */
static inline int
fast_attr(const char **pp, const char *end, char name, const char **start, const char **stop)
{
    const char *p = *pp;
    if (end - p < 5 || p[0] != ' ' || p[1] != name || p[2] != '=' || p[3] != '"') {
        return 0;
    }
    p += 4;
    const char *quote = find_char(p, end, '"');
    if (quote == NULL) {
        return -1;
    }
    *start = p;
    *stop = quote;
    *pp = quote + 1;
    return 1;
}

/* The attributes of a cell in the usual form ` r="B12" s="3" t="s">` (s and t optional, in this
   order, single spaces); returns 0 for any other form, left to parse_attrs. */
static inline int
fast_cell_attrs(const char **pp, const char *end, Attrs *attrs, int *self_closing)
{
    const char *p = *pp;
    attrs->r = attrs->s = attrs->t = NULL;
    attrs->r_end = attrs->s_end = attrs->t_end = NULL;
    attrs->preserve = 0;
    if (fast_attr(&p, end, 'r', &attrs->r, &attrs->r_end) != 1
        || fast_attr(&p, end, 's', &attrs->s, &attrs->s_end) < 0
        || fast_attr(&p, end, 't', &attrs->t, &attrs->t_end) < 0) {
        return 0;
    }
    if (p < end && *p == '>') {
        *self_closing = 0;
        *pp = p + 1;
        return 1;
    }
    if (end - p >= 2 && p[0] == '/' && p[1] == '>') {
        *self_closing = 1;
        *pp = p + 2;
        return 1;
    }
    return 0;
}

/* Parses one <c> element at *pp (p[0] == '<', p[1] == 'c'). */
static int
scan_cell(Scanner *self, const char **pp, const char *end, uint32_t row_index, long long number,
          uint32_t *next_col, uint32_t *width)
{
    const char *p = *pp + 2;
    Attrs attrs;
    int self_closing, st, more = 0;
    if (!fast_cell_attrs(&p, end, &attrs, &self_closing)) {
        p = *pp + 2;
        st = parse_attrs(&p, end, &attrs, &self_closing);
        if (st != ST_OK) {
            return st;
        }
    }
    long long col = *next_col;
    if (attrs.r != NULL) {
        long long ref_row;
        if (parse_ref(attrs.r, attrs.r_end, &col, &ref_row) < 0) {
            return ST_ERR;
        }
        if (ref_row != number) {
            return fail("cell reference outside its row");
        }
    }
    else if (col >= MAX_COLUMNS) {
        return fail("too many columns");
    }
    if (self_closing) {
        /* A cell without a value (calamine reads <c/> as <c></c>). */
        *pp = p;
        *next_col = (uint32_t)col + 1;
        if (*next_col > *width) {
            *width = *next_col;
        }
        return push_cell(self, row_index, (uint32_t)col,
                         Py_NewRef(self->strip ? Py_None : empty_str));
    }
    int type = cell_type(&attrs);
    if (type < 0) {
        return fail("unknown cell type (t attribute)");
    }
    int kind = KIND_OTHER;
    if (attrs.s != NULL) {
        /* As calamine: a style that is not a plain number is style 0. */
        long long style = parse_index(attrs.s, attrs.s_end);
        if (style == -1) {
            style = 0;
        }
        kind = style >= 0 && style < self->nkinds ? self->kinds[style] : KIND_OTHER;
    }
    /* Children: the last <v>, <f> or <is> gives the value, as in calamine. */
    PyObject *value = NULL;
    for (;;) {
        const char *lt = find_char(p, end, '<');
        if (lt == NULL || end - lt < 4) {
            st = ST_MORE;
            goto done;
        }
        p = lt;
        more = 0;
        /* Fast paths for the usual forms; anything else goes the general way below. */
        if (memcmp(p, "</c>", 4) == 0) {
            p += 4;
            break;
        }
        if (memcmp(p, "<v>", 3) == 0) {
            const char *text = p + 3;
            int special = 0;
            const char *text_end = find_text_end(text, end, &special);
            if (text_end != NULL && end - text_end >= 4 && memcmp(text_end, "</v>", 4) == 0) {
                Py_CLEAR(value);
                value = value_of(self, (uint32_t)col, type, kind, text, text_end);
                if (value == NULL && PyErr_Occurred()) {
                    st = ST_ERR;
                    goto done;
                }
                p = text_end + 4;
                continue;
            }
        }
        else if (end - p >= 7 && memcmp(p, "<is><t>", 7) == 0) {
            const char *text = p + 7;
            int special = 0;
            const char *text_end = find_text_end(text, end, &special);
            if (text_end != NULL && end - text_end >= 9 &&
                memcmp(text_end, "</t></is>", 9) == 0) {
                Py_CLEAR(value);
                value = special ? decode_str(&self->scratch, text, text_end, 0, 1)
                                : scanner_str(self, (uint32_t)col, text, text_end, 0);
                if (value == NULL) {
                    st = ST_ERR;
                    goto done;
                }
                p = text_end + 9;
                continue;
            }
        }
        if (p[1] == '/') {
            if (!name_is(p + 2, end, "c", 1, &more)) {
                st = more ? ST_MORE : fail("unexpected closing tag in a cell");
                goto done;
            }
            st = skip_closing_tag(&p, end);
            if (st != ST_OK) {
                goto done;
            }
            break;
        }
        if (name_is(p + 1, end, "v", 1, &more)) {
            p += 2;
            st = parse_attrs(&p, end, &attrs, &self_closing);
            if (st != ST_OK) {
                goto done;
            }
            Py_CLEAR(value);
            if (self_closing) {
                continue; /* <v/>: an empty value */
            }
            const char *text = p;
            const char *text_end = find_char(p, end, '<');
            if (text_end == NULL || end - text_end < 4) {
                st = ST_MORE;
                goto done;
            }
            if (memcmp(text_end, "</v", 3) != 0 || !IS_NAME_END(text_end[3])) {
                st = fail("unexpected markup inside <v>");
                goto done;
            }
            p = text_end;
            st = skip_closing_tag(&p, end);
            if (st != ST_OK) {
                goto done;
            }
            value = value_of(self, (uint32_t)col, type, kind, text, text_end);
            if (value == NULL && PyErr_Occurred()) {
                st = ST_ERR;
                goto done;
            }
        }
        else if (!more && name_is(p + 1, end, "f", 1, &more)) {
            p += 2;
            st = parse_attrs(&p, end, &attrs, &self_closing);
            if (st != ST_OK) {
                goto done;
            }
            /* A formula empties the value (calamine reads <f> as a child without one). */
            Py_CLEAR(value);
            if (self_closing) {
                continue;
            }
            /* Its text holds no markup: skip to </f>. */
            const char *close = find_char(p, end, '<');
            if (close == NULL || end - close < 4) {
                st = ST_MORE;
                goto done;
            }
            if (memcmp(close, "</f", 3) != 0 || !IS_NAME_END(close[3])) {
                st = fail("unexpected markup inside <f>");
                goto done;
            }
            p = close;
            st = skip_closing_tag(&p, end);
            if (st != ST_OK) {
                goto done;
            }
        }
        else if (!more && name_is(p + 1, end, "is", 2, &more)) {
            p += 3;
            st = parse_attrs(&p, end, &attrs, &self_closing);
            if (st != ST_OK) {
                goto done;
            }
            Py_CLEAR(value);
            if (self_closing) {
                continue; /* <is/>: an empty string */
            }
            const char *plain = NULL, *plain_end = NULL;
            st = scan_rich(&self->scratch, &p, end, "is", 2, &value, &plain, &plain_end);
            if (st != ST_OK) {
                goto done;
            }
            if (value == NULL) {
                value = scanner_str(self, (uint32_t)col, plain, plain_end, 0);
                if (value == NULL) {
                    st = ST_ERR;
                    goto done;
                }
            }
        }
        else {
            st = more ? ST_MORE : fail("unexpected element in a cell");
            goto done;
        }
    }
    if (self->strip) {
        /* Every value of the cell, whatever its source (shared, inline, formula result, ISO date
           text, number text), leaves through here: the usual text is settled by its first and
           last byte. */
        if (value == NULL) {
            value = Py_NewRef(Py_None);
        }
        else if ((value = strip_value(value)) == NULL) {
            return ST_ERR;
        }
    }
    *pp = p;
    *next_col = (uint32_t)col + 1;
    if (*next_col > *width) {
        *width = *next_col;
    }
    return push_cell(self, row_index, (uint32_t)col, value != NULL ? value : Py_NewRef(empty_str));
done:
    Py_XDECREF(value);
    return st;
}

/* Parses the element at *pp (p[0] == '<') inside <sheetData>: a <row> or </sheetData>. */
static int
scan_element(Scanner *self, const char **pp, const char *end)
{
    const char *p = *pp;
    int more = 0, st, self_closing;
    Attrs attrs;
    if (end - p < 2) {
        return ST_MORE;
    }
    if (p[1] == '/') {
        if (name_is(p + 2, end, "sheetData", 9, &more)) {
            st = skip_closing_tag(&p, end);
            if (st == ST_OK) {
                self->done = 1;
                *pp = p;
            }
            return st;
        }
        return more ? ST_MORE : fail("unexpected closing tag in <sheetData>");
    }
    if (!name_is(p + 1, end, "row", 3, &more)) {
        return more ? ST_MORE : fail("unexpected element in <sheetData>");
    }
    p += 4;
    st = parse_attrs(&p, end, &attrs, &self_closing);
    if (st != ST_OK) {
        return st;
    }
    long long number = self->last_row + 1;
    if (attrs.r != NULL) {
        number = parse_index(attrs.r, attrs.r_end);
        if (number < 1) {
            return fail("invalid row number");
        }
    }
    if (number <= self->last_row) {
        return fail("rows out of order");
    }
    if (self_closing) {
        /* A row without cells: it counts for the numbering of the rows without r. */
        self->last_row = number;
        *pp = p;
        return ST_OK;
    }
    uint32_t row_index = (uint32_t)PyList_GET_SIZE(self->numbers);
    Py_ssize_t mark = self->ncells;
    uint32_t next_col = 0, width = self->width;
    int cells = 0;
    for (;;) {
        const char *lt = p;
        while (lt < end && IS_WS(*lt)) {
            lt++;
        }
        if (end - lt < 3) {
            st = ST_MORE;
            break;
        }
        if (*lt != '<') {
            st = fail("unexpected text in a row");
            break;
        }
        p = lt;
        more = 0;
        if (p[1] == '/') {
            if (!name_is(p + 2, end, "row", 3, &more)) {
                st = more ? ST_MORE : fail("unexpected closing tag in a row");
                break;
            }
            st = skip_closing_tag(&p, end);
            break;
        }
        if (!name_is(p + 1, end, "c", 1, &more)) {
            st = more ? ST_MORE : fail("unexpected element in a row");
            break;
        }
        st = scan_cell(self, &p, end, row_index, number, &next_col, &width);
        if (st != ST_OK) {
            break;
        }
        cells++;
    }
    if (st != ST_OK) {
        drop_cells(self, mark);
        return st;
    }
    self->last_row = number;
    if (cells > 0) {
        PyObject *n = PyLong_FromLongLong(number);
        if (n == NULL || PyList_Append(self->numbers, n) < 0) {
            Py_XDECREF(n);
            drop_cells(self, mark);
            return ST_ERR;
        }
        Py_DECREF(n);
        self->width = width;
    }
    *pp = p;
    return ST_OK;
}

static int
Scanner_init(Scanner *self, PyObject *args, PyObject *kwds)
{
    static char *keywords[] = {"strings", "kinds", "date1904", "iso", "limit", "strip", NULL};
    PyObject *strings, *iso;
    Py_buffer kinds;
    int date1904, strip = 0;
    Py_ssize_t limit;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O!y*pOn|p", keywords, &PyList_Type, &strings,
                                     &kinds, &date1904, &iso, &limit, &strip)) {
        return -1;
    }
    if (limit < 1 || limit > 0x7fffffff) {
        PyBuffer_Release(&kinds);
        PyErr_SetString(PyExc_ValueError, "limit must be a positive number of rows");
        return -1;
    }
    if (!PyCallable_Check(iso)) {
        PyBuffer_Release(&kinds);
        PyErr_SetString(PyExc_TypeError, "iso must be callable");
        return -1;
    }
    PyMem_Free(self->kinds);
    self->kinds = PyMem_Malloc(kinds.len ? (size_t)kinds.len : 1);
    if (self->kinds == NULL) {
        PyBuffer_Release(&kinds);
        PyErr_NoMemory();
        return -1;
    }
    memcpy(self->kinds, kinds.buf, (size_t)kinds.len);
    self->nkinds = kinds.len;
    PyBuffer_Release(&kinds);
    strings = strip ? stripped_strings(strings) : Py_NewRef(strings);
    if (strings == NULL) {
        return -1;
    }
    Py_XSETREF(self->strings, strings);
    Py_XSETREF(self->iso, Py_NewRef(iso));
    self->date1904 = date1904;
    self->limit = limit;
    /* The cache of texts holds for both modes: a cached str is always the text of its key. */
    self->strip = strip;
    self->last_row = 0;
    self->done = 0;
    drop_cells(self, 0);
    self->width = 0;
    Py_XSETREF(self->numbers, PyList_New(0));
    return self->numbers == NULL ? -1 : 0;
}

static void
Scanner_dealloc(Scanner *self)
{
    drop_cells(self, 0);
    for (int i = 0; i < CACHE_SLOTS; i++) {
        Py_XDECREF(self->str_cache[i]);
        Py_XDECREF(self->date_cache[i]);
    }
    PyMem_Free(self->cells);
    PyMem_Free(self->kinds);
    text_free(&self->scratch);
    Py_XDECREF(self->strings);
    Py_XDECREF(self->iso);
    Py_XDECREF(self->numbers);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *
Scanner_feed(Scanner *self, PyObject *args)
{
    Py_buffer buffer;
    Py_ssize_t pos;
    if (!PyArg_ParseTuple(args, "y*n", &buffer, &pos)) {
        return NULL;
    }
    if (self->numbers == NULL) {
        PyBuffer_Release(&buffer);
        PyErr_SetString(PyExc_RuntimeError, "scanner not initialised");
        return NULL;
    }
    if (pos < 0 || pos > buffer.len) {
        PyBuffer_Release(&buffer);
        PyErr_SetString(PyExc_IndexError, "position outside the buffer");
        return NULL;
    }
    const char *base = buffer.buf, *end = base + buffer.len, *p = base + pos;
    int st = ST_OK;
    while (!self->done && PyList_GET_SIZE(self->numbers) < self->limit) {
        const char *q = p;
        while (q < end && IS_WS(*q)) {
            q++;
        }
        p = q;
        if (q >= end) {
            break;
        }
        if (*q != '<') {
            st = fail("unexpected text in <sheetData>");
            break;
        }
        st = scan_element(self, &q, end);
        if (st != ST_OK) {
            break;
        }
        p = q;
    }
    PyBuffer_Release(&buffer);
    if (st == ST_ERR) {
        return NULL;
    }
    return PyLong_FromSsize_t(p - base);
}

static PyObject *
Scanner_take(Scanner *self, PyObject *Py_UNUSED(ignored))
{
    if (self->numbers == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "scanner not initialised");
        return NULL;
    }
    Py_ssize_t rows = PyList_GET_SIZE(self->numbers);
    PyObject *columns = PyList_New(self->width);
    PyObject *numbers = PyList_New(0);
    if (columns == NULL || numbers == NULL) {
        goto error;
    }
    for (uint32_t c = 0; c < self->width; c++) {
        PyObject *column = PyList_New(rows);
        if (column == NULL) {
            goto error;
        }
        PyList_SET_ITEM(columns, c, column);
    }
    /* Place the cells (a repeated cell replaces the earlier one, as in calamine). */
    for (Py_ssize_t i = 0; i < self->ncells; i++) {
        Cell *cell = &self->cells[i];
        PyObject *column = PyList_GET_ITEM(columns, cell->col);
        PyObject *old = PyList_GET_ITEM(column, cell->row);
        PyList_SET_ITEM(column, cell->row, cell->value);
        Py_XDECREF(old);
    }
    self->ncells = 0;
    for (uint32_t c = 0; c < self->width; c++) {
        PyObject *column = PyList_GET_ITEM(columns, c);
        for (Py_ssize_t r = 0; r < rows; r++) {
            if (PyList_GET_ITEM(column, r) == NULL) {
                PyList_SET_ITEM(column, r, Py_NewRef(Py_None));
            }
        }
    }
    PyObject *result = PyTuple_Pack(2, self->numbers, columns);
    Py_DECREF(columns);
    if (result == NULL) {
        Py_DECREF(numbers);
        return NULL;
    }
    Py_SETREF(self->numbers, numbers);
    self->width = 0;
    return result;
error:
    Py_XDECREF(columns);
    Py_XDECREF(numbers);
    return NULL;
}

static PyObject *
Scanner_get_count(Scanner *self, void *Py_UNUSED(closure))
{
    return PyLong_FromSsize_t(self->numbers ? PyList_GET_SIZE(self->numbers) : 0);
}

static PyObject *
Scanner_get_done(Scanner *self, void *Py_UNUSED(closure))
{
    return PyBool_FromLong(self->done);
}

static PyMethodDef Scanner_methods[] = {
    {"feed", (PyCFunction)Scanner_feed, METH_VARARGS,
     "feed(buffer, pos) -> int\n\nParse the complete rows of buffer[pos:] (inside <sheetData>) "
     "until the slice is full, the buffer ends or </sheetData> is reached; return the position "
     "of the first byte not parsed."},
    {"take", (PyCFunction)Scanner_take, METH_NOARGS,
     "take() -> (numbers, columns)\n\nReturn the rows parsed so far column by column (missing "
     "cells as None) and start a new slice."},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef Scanner_getset[] = {
    {"count", (getter)Scanner_get_count, NULL, "Rows in the current slice.", NULL},
    {"done", (getter)Scanner_get_done, NULL, "True once </sheetData> was reached.", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject ScannerType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "sikumi.imports._sheetscan.Scanner",
    .tp_basicsize = sizeof(Scanner),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Scanner(strings, kinds, date1904, iso, limit, strip=False): parses <sheetData> "
              "rows into slices of at most `limit` rows; with strip, str values are given as "
              "`v.strip() or None`.",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Scanner_init,
    .tp_dealloc = (destructor)Scanner_dealloc,
    .tp_methods = Scanner_methods,
    .tp_getset = Scanner_getset,
};

/* ------------------------------------------------------------------------------------------ */
/* Shared strings                                                                             */

static PyObject *
shared_strings(PyObject *Py_UNUSED(module), PyObject *args)
{
    Py_buffer buffer;
    Py_ssize_t pos;
    PyObject *out;
    if (!PyArg_ParseTuple(args, "y*nO!", &buffer, &pos, &PyList_Type, &out)) {
        return NULL;
    }
    if (pos < 0 || pos > buffer.len) {
        PyBuffer_Release(&buffer);
        PyErr_SetString(PyExc_IndexError, "position outside the buffer");
        return NULL;
    }
    const char *base = buffer.buf, *end = base + buffer.len, *p = base + pos;
    Text scratch = {NULL, 0, 0};
    Attrs attrs;
    int st = ST_OK, self_closing, more;
    for (;;) {
        const char *lt = find_char(p, end, '<');
        if (lt == NULL) {
            p = end;
            break;
        }
        p = lt;
        if (end - p < 4) {
            break;
        }
        more = 0;
        if (p[1] == '?' || p[1] == '/') {
            /* The XML declaration, </sst>. */
            const char *q = p;
            if (skip_closing_tag(&q, end) == ST_MORE) {
                break;
            }
            p = q;
            continue;
        }
        if (p[1] == '!') {
            st = fail("comments are not supported in shared strings");
            break;
        }
        if (name_is(p + 1, end, "si", 2, &more)) {
            const char *q = p + 3;
            PyObject *text = NULL;
            st = parse_attrs(&q, end, &attrs, &self_closing);
            if (st == ST_OK) {
                if (self_closing) {
                    text = Py_NewRef(empty_str);
                }
                else {
                    st = scan_rich(&scratch, &q, end, "si", 2, &text, NULL, NULL);
                }
            }
            if (st != ST_OK) {
                break;
            }
            int appended = PyList_Append(out, text);
            Py_DECREF(text);
            if (appended < 0) {
                st = ST_ERR;
                break;
            }
            p = q;
            continue;
        }
        if (more) {
            break;
        }
        /* Another element (<sst>): namespace prefixes would hide <si> elements. */
        const char *q = p + 1;
        while (q < end && !IS_NAME_END(*q)) {
            if (*q == ':') {
                st = fail("namespace-prefixed elements are not supported");
                break;
            }
            q++;
        }
        if (st != ST_OK) {
            break;
        }
        if (q >= end) {
            break;
        }
        st = parse_attrs(&q, end, &attrs, &self_closing);
        if (st != ST_OK) {
            break;
        }
        p = q;
    }
    text_free(&scratch);
    PyBuffer_Release(&buffer);
    if (st == ST_ERR) {
        return NULL;
    }
    return PyLong_FromSsize_t(p - base);
}

/* ------------------------------------------------------------------------------------------ */
/* Module                                                                                     */

static PyMethodDef module_methods[] = {
    {"shared_strings", shared_strings, METH_VARARGS,
     "shared_strings(buffer, pos, out) -> int\n\nAppend the text of every complete <si> of "
     "buffer[pos:] to the list out; return the position of the first byte not parsed."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "sikumi.imports._sheetscan",
    .m_doc = "Byte-level scanner for the rows and shared strings of an XLSX worksheet.",
    .m_size = -1,
    .m_methods = module_methods,
};

PyMODINIT_FUNC
PyInit__sheetscan(void)
{
    PyDateTime_IMPORT;
    if (PyDateTimeAPI == NULL) {
        return NULL;
    }
    if (PyType_Ready(&ScannerType) < 0) {
        return NULL;
    }
    PyObject *module = PyModule_Create(&module_def);
    if (module == NULL) {
        return NULL;
    }
    empty_str = PyUnicode_New(0, 0);
    ScanError = PyErr_NewExceptionWithDoc(
        "sikumi.imports._sheetscan.ScanError",
        "The sheet uses something the scanner does not read as calamine does.",
        PyExc_ValueError, NULL);
    if (empty_str == NULL || ScanError == NULL ||
        PyModule_AddObjectRef(module, "ScanError", ScanError) < 0 ||
        PyModule_AddObjectRef(module, "Scanner", (PyObject *)&ScannerType) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
