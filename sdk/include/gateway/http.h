/*
 * http.h - conditional requests (RFC 9110 §13) for plugins in C: entity-tags, HTTP dates and the
 * 304 decision. Static inline, no allocation, no host call except in gw_http_not_modified();
 * C99/C11 and C++17 clean. The one home of these rules: gateway/conditional.hpp wraps them for
 * C++, and the gateway's static files use them too. No ABI change (header only).
 *
 *     #include "gateway/http.h"
 *
 *     // Answers a GET or HEAD with the open file fd (size bytes, modified at mtime, from fstat),
 *     // or 304 when the client's copy is current. send_file (ABI 1.1) closes fd in every case
 *     // and, for a 304, sends no body.
 *     int32_t answer_file(const gw_host_api* api, gw_request* req, int fd, uint64_t size,
 *                         int64_t mtime)
 *     {
 *         char etag[GW_ETAG_SIZE], date[GW_HTTP_DATE_SIZE];
 *         gw_header headers[3];
 *         int fresh;
 *         int32_t rc, sent;
 *         gw_etag_format(etag, size, mtime);
 *         gw_http_date_format(date, mtime);
 *         headers[0] = gw_header_make("ETag", etag);
 *         headers[1] = gw_header_make("Last-Modified", date);
 *         headers[2] = gw_header_make("Content-Type", "text/plain");
 *         fresh = gw_http_not_modified(api, req, gw_str_make(etag), mtime);
 *         rc = api->start_response(req, fresh ? 304 : 200, gw_str_make(NULL), headers, 3, 0);
 *         sent = api->send_file(req, fd, 0, size);  // closes fd, even when refused
 *         return rc != GW_OK ? rc : sent;
 *     }
 */
#ifndef GATEWAY_HTTP_H
#define GATEWAY_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "gateway/gateway.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Bytes gw_etag_format() writes at most, with the NUL: "\"" 16 hex "-" 16 hex "\"" NUL. */
#define GW_ETAG_SIZE 36
/** Bytes of an IMF-fixdate with its NUL: "Sun, 06 Nov 1994 08:49:37 GMT" is 29 characters. */
#define GW_HTTP_DATE_SIZE 30

/** What the preconditions of a request call for (gw_http_preconditions()). */
#define GW_PRECONDITION_PROCEED 0      /**< answer as usual */
#define GW_PRECONDITION_NOT_MODIFIED 1 /**< 304 Not Modified (GET and HEAD only) */
#define GW_PRECONDITION_FAILED 2       /**< 412 Precondition Failed */

/* ---- internals (gw_http__*: not part of the API) ------------------------------------------ */

static inline int gw_http__ows(char c) {
    return c == ' ' || c == '\t';
}

static inline gw_str gw_http__trim(gw_str s) {
    while (s.len > 0 && gw_http__ows(s.ptr[0])) {
        ++s.ptr;
        --s.len;
    }
    while (s.len > 0 && gw_http__ows(s.ptr[s.len - 1])) --s.len;
    return s;
}

static inline int gw_http__is(gw_str s, size_t at, const char* text, size_t n) {
    return at <= s.len && n <= s.len - at && (n == 0 || memcmp(s.ptr + at, text, n) == 0);
}

static inline int gw_http__digits(gw_str s, size_t at, size_t n, int* value) {
    size_t i;
    if (at > s.len || n > s.len - at) return 0;
    *value = 0;
    for (i = at; i < at + n; ++i) {
        if (s.ptr[i] < '0' || s.ptr[i] > '9') return 0;
        *value = *value * 10 + (s.ptr[i] - '0');
    }
    return 1;
}

static const char gw_http__months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
static const char gw_http__days[] = "ThuFriSatSunMonTueWed"; /* from 1970-01-01, a Thursday */

/** 1-12 for "Jan".."Dec" at `at`, else 0. */
static inline int gw_http__month(gw_str s, size_t at) {
    int m;
    for (m = 0; m < 12; ++m)
        if (gw_http__is(s, at, gw_http__months + 3 * m, 3)) return m + 1;
    return 0;
}

/** Length of the day name `s` starts with: 3 for "Sun" (short), 6-9 for "Sunday" (long), or 0. */
static inline size_t gw_http__day_name(gw_str s, int long_form) {
    static const char* const names[] = {"Thursday", "Friday",  "Saturday", "Sunday",
                                        "Monday",   "Tuesday", "Wednesday"};
    int d;
    for (d = 0; d < 7; ++d) {
        const size_t n = long_form ? strlen(names[d]) : 3;
        if (gw_http__is(s, 0, names[d], n)) return n;
    }
    return 0;
}

static inline int gw_http__time(gw_str s, size_t at, int* h, int* m, int* sec) {
    return at + 8 <= s.len && gw_http__digits(s, at, 2, h) && s.ptr[at + 2] == ':' &&
           gw_http__digits(s, at + 3, 2, m) && s.ptr[at + 5] == ':' &&
           gw_http__digits(s, at + 6, 2, sec) && *h < 24 && *m < 60 && *sec <= 60;
}

/** Days since 1970-01-01 of a civil date (H. Hinnant's algorithm). */
static inline int64_t gw_http__days_from_civil(int year, int month, int day) {
    const int y = year - (month <= 2);
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (unsigned)((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1);
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int64_t)era * 146097 + (int64_t)doe - 719468;
}

static inline int gw_http__epoch(int year, int month, int day, int h, int m, int s, int64_t* t) {
    static const int month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (day < 1 || day > month_days[month - 1] || (month == 2 && day == 29 && !leap)) return 0;
    *t = gw_http__days_from_civil(year, month, day) * 86400 + h * 3600 + m * 60 + s;
    return 1;
}

static inline void gw_http__two(char* out, int64_t v) {
    out[0] = (char)('0' + v / 10);
    out[1] = (char)('0' + v % 10);
}

/* ---- entity-tags ---------------------------------------------------------------------------- */

/** Whether `text` is one entity-tag, "xyz" or W/"xyz" (etagc: any visible byte but '"', or
 * obs-text). On 1, *weak (if not NULL) tells W/ and *opaque (if not NULL) is the quoted part. */
static inline int gw_etag_parse(gw_str text, int* weak, gw_str* opaque) {
    size_t i;
    const int is_weak = gw_http__is(text, 0, "W/", 2);
    if (is_weak) {
        text.ptr += 2;
        text.len -= 2;
    }
    if (text.len < 2 || text.ptr[0] != '"' || text.ptr[text.len - 1] != '"') return 0;
    for (i = 1; i + 1 < text.len; ++i) {
        const unsigned char u = (unsigned char)text.ptr[i];
        if (u == '"' || u <= 0x20 || u == 0x7F) return 0;
    }
    if (weak) *weak = is_weak;
    if (opaque) *opaque = text;
    return 1;
}

/** Writes the strong entity-tag "<size>-<mtime>" (lower-case hex) and its NUL into buf, which
 * holds GW_ETAG_SIZE bytes; returns its length. mtime is seconds since the epoch (or finer, as
 * long as it changes with the content). */
static inline size_t gw_etag_format(char* buf, uint64_t size, int64_t mtime) {
    static const char hex[] = "0123456789abcdef";
    const uint64_t parts[2] = {size, (uint64_t)mtime};
    size_t n = 0;
    int p;
    buf[n++] = '"';
    for (p = 0; p < 2; ++p) {
        int shift = 60;
        while (shift > 0 && ((parts[p] >> shift) & 15u) == 0) shift -= 4;
        for (; shift >= 0; shift -= 4) buf[n++] = hex[(parts[p] >> shift) & 15u];
        buf[n++] = p == 0 ? '-' : '"';
    }
    buf[n] = '\0';
    return n;
}

/** Whether entity-tag `etag` (the resource's, "v7" or W/"v7") is in `list` (an If-None-Match or
 * If-Match value). "*" matches any current representation, even one without a tag (etag empty).
 * Strong comparison (strong != 0, If-Match) matches only when both tags are strong and equal;
 * weak comparison (If-None-Match) ignores W/. A malformed etag matches nothing; in a malformed
 * list, elements up to the first malformed one still count. */
static inline int gw_etag_matches(gw_str list, gw_str etag, int strong) {
    gw_str mine = {NULL, 0};
    int mine_weak = 0;
    size_t i = 0;
    const int valid = gw_etag_parse(etag, &mine_weak, &mine);
    list = gw_http__trim(list);
    if (list.len == 1 && list.ptr[0] == '*') return 1;
    if (!valid || (strong && mine_weak)) return 0;
    while (i < list.len) {
        int weak;
        size_t close;
        while (i < list.len && (gw_http__ows(list.ptr[i]) || list.ptr[i] == ',')) ++i;
        if (i == list.len) break;
        weak = gw_http__is(list, i, "W/", 2);
        if (weak) i += 2;
        if (i == list.len || list.ptr[i] != '"') return 0;
        for (close = i + 1; close < list.len && list.ptr[close] != '"'; ++close) {
        }
        if (close == list.len) return 0;
        if (close - i + 1 == mine.len && memcmp(list.ptr + i, mine.ptr, mine.len) == 0 &&
            !(strong && weak))
            return 1;
        i = close + 1;
        while (i < list.len && gw_http__ows(list.ptr[i])) ++i;
        if (i < list.len && list.ptr[i] != ',') return 0;
    }
    return 0;
}

/* ---- HTTP dates ----------------------------------------------------------------------------- */

/** Parses an HTTP date (RFC 9110 §5.6.7) into seconds since the epoch: the IMF-fixdate
 * "Sun, 06 Nov 1994 08:49:37 GMT" and the obsolete forms a recipient must accept, RFC 850
 * "Sunday, 06-Nov-94 08:49:37 GMT" and asctime "Sun Nov  6 08:49:37 1994". Exact case and
 * spacing; the day name is not checked against the date. Returns 1 and sets *t, or 0. */
static inline int gw_http_date_parse(gw_str s, int64_t* t) {
    int day = 0, month = 0, year = 0, h = 0, m = 0, sec = 0;
    size_t n;
    if (gw_http__day_name(s, 0) == 3 && s.len == 29 && s.ptr[3] == ',') {
        /* IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT" */
        if (s.ptr[4] != ' ' || !gw_http__digits(s, 5, 2, &day) || s.ptr[7] != ' ' ||
            (month = gw_http__month(s, 8)) == 0 || s.ptr[11] != ' ' ||
            !gw_http__digits(s, 12, 4, &year) || s.ptr[16] != ' ' ||
            !gw_http__time(s, 17, &h, &m, &sec) || !gw_http__is(s, 25, " GMT", 4))
            return 0;
        return gw_http__epoch(year, month, day, h, m, sec, t);
    }
    if (gw_http__day_name(s, 0) == 3 && s.len == 24 && s.ptr[3] == ' ') {
        /* asctime: "Sun Nov  6 08:49:37 1994" */
        if ((month = gw_http__month(s, 4)) == 0 || s.ptr[7] != ' ') return 0;
        if (!(s.ptr[8] == ' ' ? gw_http__digits(s, 9, 1, &day) : gw_http__digits(s, 8, 2, &day)) ||
            s.ptr[10] != ' ' || !gw_http__time(s, 11, &h, &m, &sec) || s.ptr[19] != ' ' ||
            !gw_http__digits(s, 20, 4, &year))
            return 0;
        return gw_http__epoch(year, month, day, h, m, sec, t);
    }
    n = gw_http__day_name(s, 1);
    if (n > 0) {
        /* RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"; two-digit years are 1970-2069 */
        gw_str r;
        r.ptr = s.ptr + n;
        r.len = s.len - n;
        if (r.len != 24 || r.ptr[0] != ',' || r.ptr[1] != ' ' || !gw_http__digits(r, 2, 2, &day) ||
            r.ptr[4] != '-' || (month = gw_http__month(r, 5)) == 0 || r.ptr[8] != '-' ||
            !gw_http__digits(r, 9, 2, &year) || r.ptr[11] != ' ' ||
            !gw_http__time(r, 12, &h, &m, &sec) || !gw_http__is(r, 20, " GMT", 4))
            return 0;
        return gw_http__epoch(year + (year < 70 ? 2000 : 1900), month, day, h, m, sec, t);
    }
    return 0;
}

/** Writes t as an IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT", and a NUL into buf, which holds
 * GW_HTTP_DATE_SIZE bytes (years 0-9999); returns 29. For Last-Modified. */
static inline size_t gw_http_date_format(char* buf, int64_t t) {
    int64_t days = t / 86400, rest = t % 86400, z, era, year, weekday;
    unsigned doe, yoe, doy, mp, day, month;
    if (rest < 0) {
        rest += 86400;
        --days;
    }
    /* Civil from days (H. Hinnant), the inverse of gw_http__days_from_civil. */
    z = days + 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = (unsigned)(z - era * 146097);
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    day = doy - (153 * mp + 2) / 5 + 1;
    month = mp < 10 ? mp + 3 : mp - 9;
    year = (int64_t)yoe + era * 400 + (month <= 2);
    weekday = ((days % 7) + 7) % 7;
    memcpy(buf, gw_http__days + 3 * weekday, 3);
    memcpy(buf + 3, ", ", 2);
    gw_http__two(buf + 5, day);
    buf[7] = ' ';
    memcpy(buf + 8, gw_http__months + 3 * (month - 1), 3);
    buf[11] = ' ';
    gw_http__two(buf + 12, year / 100 % 100);
    gw_http__two(buf + 14, year % 100);
    buf[16] = ' ';
    gw_http__two(buf + 17, rest / 3600);
    buf[19] = ':';
    gw_http__two(buf + 20, rest / 60 % 60);
    buf[22] = ':';
    gw_http__two(buf + 23, rest % 60);
    memcpy(buf + 25, " GMT", 5);
    return 29;
}

/* ---- the decision --------------------------------------------------------------------------- */

/** RFC 9110 §13.2.2 for a resource that exists, with entity-tag etag ("v7", W/"v7", or empty for
 * none) and last modification last_modified (has_last_modified 0: none). Header values are as
 * sent, empty when absent:
 *   1. If-Match present: FAILED unless it matches etag strongly; else
 *   2. If-Unmodified-Since (a valid date, with a last modification): FAILED if modified since;
 *   3. If-None-Match present: a weak match is NOT_MODIFIED for GET/HEAD, FAILED otherwise; it
 *      makes If-Modified-Since ignored; else
 *   4. If-Modified-Since (GET/HEAD, a valid date, with a last modification): NOT_MODIFIED unless
 *      modified since.
 * Invalid dates are ignored. Returns a GW_PRECONDITION_* value. */
static inline int gw_http_preconditions(gw_str if_match, gw_str if_none_match,
                                        gw_str if_modified_since, gw_str if_unmodified_since,
                                        int get_or_head, gw_str etag, int has_last_modified,
                                        int64_t last_modified) {
    int64_t date;
    if (if_match.len > 0) {
        if (!gw_etag_matches(if_match, etag, 1)) return GW_PRECONDITION_FAILED;
    } else if (if_unmodified_since.len > 0 && has_last_modified) {
        if (gw_http_date_parse(gw_http__trim(if_unmodified_since), &date) && last_modified > date)
            return GW_PRECONDITION_FAILED;
    }
    if (if_none_match.len > 0) {
        if (gw_etag_matches(if_none_match, etag, 0))
            return get_or_head ? GW_PRECONDITION_NOT_MODIFIED : GW_PRECONDITION_FAILED;
    } else if (get_or_head && if_modified_since.len > 0 && has_last_modified) {
        if (gw_http_date_parse(gw_http__trim(if_modified_since), &date) && last_modified <= date)
            return GW_PRECONDITION_NOT_MODIFIED;
    }
    return GW_PRECONDITION_PROCEED;
}

/** One call for a GET/HEAD handler: 1 when the request's If-None-Match (weak comparison) or,
 * without it, If-Modified-Since says the client's copy of the resource with this etag (may be
 * empty) and last_modified (seconds since the epoch; negative: unknown) is current, so the
 * answer is 304 (with the same ETag/Last-Modified headers, no body); 0 otherwise, and for
 * methods other than GET and HEAD. Reads the headers with api->get. */
static inline int gw_http_not_modified(const gw_host_api* api, gw_request* req, gw_str etag,
                                       int64_t last_modified) {
    gw_str method = {NULL, 0}, inm = {NULL, 0}, ims = {NULL, 0}, none = {NULL, 0};
    int get_or_head;
    api->get(req, "REQUEST_METHOD", 14, &method);
    get_or_head = (method.len == 3 && memcmp(method.ptr, "GET", 3) == 0) ||
                  (method.len == 4 && memcmp(method.ptr, "HEAD", 4) == 0);
    if (!get_or_head) return 0;
    api->get(req, "HTTP_IF_NONE_MATCH", 18, &inm);
    api->get(req, "HTTP_IF_MODIFIED_SINCE", 22, &ims);
    return gw_http_preconditions(none, inm, ims, none, 1, etag, last_modified >= 0,
                                 last_modified) == GW_PRECONDITION_NOT_MODIFIED;
}

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* GATEWAY_HTTP_H */
