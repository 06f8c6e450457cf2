/* SPDX-License-Identifier: GPL-3.0-or-later */
/* formula_parse.c -- the parser of the formula language (docs/formulas.md)
 * into an expression tree:
 *
 *   expr    := term { ('+' | '-') term }            left-associative
 *   term    := unary { ('*' | '/') unary }          left-associative
 *   unary   := ('-' | '+') unary | power            -x^2 = -(x^2)
 *   power   := primary [ '^' unary ]                2^3^2 = 2^(3^2) = 512
 *   primary := number | constant | variable | function '(' expr ')' | '(' expr ')'
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formula_private.h"

#define HL_STR2(x) #x
#define HL_STR(x) HL_STR2(x)
static const struct {
    const char *name;
    int op;
} FUNCS[] = {
    {"exp", OP_EXP},     {"log", OP_LOG},     {"sqrt", OP_SQRT},   {"sin", OP_SIN},
    {"cos", OP_COS},     {"tan", OP_TAN},     {"cot", OP_COT},     {"sec", OP_SEC},
    {"csc", OP_CSC},     {"asin", OP_ASIN},   {"acos", OP_ACOS},   {"atan", OP_ATAN},
    {"acot", OP_ACOT},   {"asec", OP_ASEC},   {"acsc", OP_ACSC},   {"sinh", OP_SINH},
    {"cosh", OP_COSH},   {"tanh", OP_TANH},   {"coth", OP_COTH},   {"sech", OP_SECH},
    {"csch", OP_CSCH},   {"asinh", OP_ASINH}, {"acosh", OP_ACOSH}, {"atanh", OP_ATANH},
    {"acoth", OP_ACOTH}, {"asech", OP_ASECH}, {"acsch", OP_ACSCH}, {"abs", OP_ABS},
    {"erf", OP_ERF},     {"step", OP_STEP},
};

static const struct {
    const char *name;
    double value;
} CONSTS[] = {
    {"e", 2.718281828459045235},         {"pi", 3.141592653589793238},
    {"log2e", 1.442695040888963407},     {"log10e", 0.434294481903251828},
    {"ln2", 0.693147180559945309},       {"ln10", 2.302585092994045684},
    {"pi_2", 1.570796326794896619},      {"pi_4", 0.785398163397448310},
    {"1_pi", 0.318309886183790672},      {"2_pi", 0.636619772367581343},
    {"2_sqrtpi", 1.128379167095512574},  {"sqrt2", 1.414213562373095049},
    {"sqrt1_2", 0.707106781186547524},
};

#define N_FUNCS (sizeof FUNCS / sizeof FUNCS[0])
#define N_CONSTS (sizeof CONSTS / sizeof CONSTS[0])

/* ---------------------------------------------------------------- parser */

typedef struct {
    const char *s, *p;
    const char *const *vars;
    int nvars;
    const char *what;
    hl_expr *e;
    int depth, err;
    char msg[400];
} parser;

static void perr(parser *ps, const char *fmt, const char *arg)
{
    if (ps->err)
        return;
    ps->err = 1;
    char what[240];
    snprintf(what, sizeof what, fmt, arg ? arg : "");
    snprintf(ps->msg, sizeof ps->msg, "%s at character %ld", what, (long)(ps->p - ps->s) + 1);
}

/* a character as a message shows it: itself if printable ASCII, else \xNN */
static const char *show_char(char c, char buf[8])
{
    unsigned char u = (unsigned char)c;
    if (u >= 0x21 && u < 0x7f)
        snprintf(buf, 8, "%c", c);
    else
        snprintf(buf, 8, "\\x%02X", u);
    return buf;
}

static void skip(parser *ps)
{
    while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')
        ps->p++;
}

static int expr(parser *ps);

static int mknode(parser *ps, int op, int a, int b, double v)
{
    if (ps->err)
        return -1;
    int k = hl_expr_add_node(ps->e, op, a, b, v);
    if (k < 0)
        perr(ps, "formula too large%s", NULL);
    return k;
}

static int is_ident_char(char c) { return isalnum((unsigned char)c) || c == '_'; }

static int primary(parser *ps)
{
    skip(ps);
    const char *p = ps->p;
    if (*p == '(') {
        ps->p++;
        int k = expr(ps);
        skip(ps);
        if (ps->err)
            return -1;
        if (*ps->p != ')') {
            perr(ps, "expected ')'%s", NULL);
            return -1;
        }
        ps->p++;
        return k;
    }
    /* the constants 1_pi, 2_pi, 2_sqrtpi begin with a digit */
    if (isdigit((unsigned char)*p) && p[1] == '_') {
        const char *q = p;
        while (is_ident_char(*q))
            q++;
        for (size_t c = 0; c < N_CONSTS; c++)
            if (strlen(CONSTS[c].name) == (size_t)(q - p) &&
                strncmp(CONSTS[c].name, p, (size_t)(q - p)) == 0) {
                ps->p = q;
                return mknode(ps, OP_NUM, -1, -1, CONSTS[c].value);
            }
        perr(ps, "bad number%s", NULL);
        return -1;
    }
    if (isdigit((unsigned char)*p) || (*p == '.' && isdigit((unsigned char)p[1]))) {
        const char *q = p;
        while (isdigit((unsigned char)*q))
            q++;
        if (*q == '.') {
            q++;
            while (isdigit((unsigned char)*q))
                q++;
        }
        if (*q == 'e' || *q == 'E') {
            const char *r = q + 1;
            if (*r == '+' || *r == '-')
                r++;
            if (!isdigit((unsigned char)*r)) {
                ps->p = q;
                perr(ps, "a number's exponent needs digits (write 1e-3)%s", NULL);
                return -1;
            }
            while (isdigit((unsigned char)*r))
                r++;
            q = r;
        }
        if (is_ident_char(*q) || *q == '.') {
            ps->p = q;
            perr(ps, "unexpected '%s' after a number (write 2*x for a product)",
                 show_char(*q, (char[8]){0}));
            return -1;
        }
        char buf[128];
        size_t len = (size_t)(q - p);
        if (len >= sizeof buf) {
            perr(ps, "number too long%s", NULL);
            return -1;
        }
        memcpy(buf, p, len);
        buf[len] = 0;
        double v = strtod(buf, NULL);
        if (!isfinite(v)) {
            perr(ps, "number %s is too large for a double", buf);
            return -1;
        }
        ps->p = q;
        return mknode(ps, OP_NUM, -1, -1, v);
    }
    if (isalpha((unsigned char)*p) || *p == '_') {
        const char *q = p;
        while (is_ident_char(*q))
            q++;
        size_t len = (size_t)(q - p);
        char name[64];
        if (len >= sizeof name) {
            perr(ps, "name too long%s", NULL);
            return -1;
        }
        memcpy(name, p, len);
        name[len] = 0;
        ps->p = q;
        for (int v = 0; v < ps->nvars; v++)
            if (strcmp(name, ps->vars[v]) == 0)
                return mknode(ps, OP_VAR, -1, -1, v);
        for (size_t c = 0; c < N_CONSTS; c++)
            if (strcmp(name, CONSTS[c].name) == 0)
                return mknode(ps, OP_NUM, -1, -1, CONSTS[c].value);
        for (size_t f = 0; f < N_FUNCS; f++)
            if (strcmp(name, FUNCS[f].name) == 0) {
                skip(ps);
                if (*ps->p != '(') {
                    perr(ps, "function %s needs its argument in brackets", name);
                    return -1;
                }
                ps->p++;
                int a = expr(ps);
                skip(ps);
                if (ps->err)
                    return -1;
                if (*ps->p != ')') {
                    perr(ps, "expected ')' closing %s(", name);
                    return -1;
                }
                ps->p++;
                return mknode(ps, FUNCS[f].op, a, -1, 0);
            }
        ps->p = p;
        char list[32] = "";
        for (int v = 0; v < ps->nvars; v++) {
            strcat(list, v ? (v == ps->nvars - 1 ? " and " : ", ") : "");
            strcat(list, ps->vars[v]);
        }
        char m[200];
        snprintf(m, sizeof m, "unknown name '%s' (variables: %s)", name,
                 list);
        perr(ps, "%s", m);
        return -1;
    }
    if (*p == 0)
        perr(ps, "unexpected end of formula%s", NULL);
    else
        perr(ps, "unexpected '%s'", show_char(*p, (char[8]){0}));
    return -1;
}

static int unary(parser *ps);

static int power(parser *ps)
{
    int a = primary(ps);
    if (ps->err)
        return -1;
    skip(ps);
    if (*ps->p == '^') {
        ps->p++;
        int b = unary(ps); /* right-associative: 2^3^2 = 2^(3^2) */
        return mknode(ps, OP_POW, a, b, 0);
    }
    return a;
}

static int unary(parser *ps)
{
    skip(ps);
    /* every level of nesting (a bracket, a function call, a sign, a ^)
     * passes here once */
    if (++ps->depth > HL_FORMULA_MAX_DEPTH) {
        perr(ps, "formula nested deeper than " HL_STR(HL_FORMULA_MAX_DEPTH) " levels%s", NULL);
        return -1;
    }
    int k;
    if (*ps->p == '-' || *ps->p == '+') {
        int neg = *ps->p == '-';
        ps->p++;
        k = unary(ps);
        if (neg && !ps->err && ps->e->nd[k].op == OP_NUM)
            ps->e->nd[k].val = -ps->e->nd[k].val; /* -3 is the number -3 (exact) */
        else if (neg)
            k = mknode(ps, OP_NEG, k, -1, 0);
    } else {
        k = power(ps);
    }
    ps->depth--;
    return k;
}

static int term(parser *ps)
{
    int a = unary(ps);
    for (;;) {
        skip(ps);
        if (ps->err || (*ps->p != '*' && *ps->p != '/'))
            break;
        int op = *ps->p == '*' ? OP_MUL : OP_DIV;
        ps->p++;
        int b = unary(ps);
        a = mknode(ps, op, a, b, 0);
    }
    return a;
}

static int expr(parser *ps)
{
    int a = term(ps);
    for (;;) {
        skip(ps);
        if (ps->err || (*ps->p != '+' && *ps->p != '-'))
            break;
        int op = *ps->p == '+' ? OP_ADD : OP_SUB;
        ps->p++;
        int b = term(ps);
        a = mknode(ps, op, a, b, 0);
    }
    return a;
}

int hl_expr_parse(const char *text, const char *const *vars, int nvars, const char *what,
                  hl_expr **out)
{
    *out = NULL;
    char ex[HL_CLIP_BUF];
    size_t len = strlen(text);
    if (len > HL_FORMULA_MAX_LEN)
        return hl_fail(HL_EPARSE, "%s formula '%s' is longer than the limit of %d characters",
                       what, hl_clip(text, ex), HL_FORMULA_MAX_LEN);
    if (strspn(text, " \t\n\r") == len)
        return hl_fail(HL_EPARSE, "%s formula is empty", what);
    hl_expr tree = {0};
    parser ps = {text, text, vars, nvars, what, &tree, 0, 0, ""};
    tree.root = expr(&ps);
    skip(&ps);
    if (!ps.err && *ps.p != 0) {
        if (*ps.p == ')')
            perr(&ps, "unmatched ')'%s", NULL);
        else
            perr(&ps, "unexpected '%s'", show_char(*ps.p, (char[8]){0}));
    }
    if (ps.err) {
        free(tree.nd);
        return hl_fail(HL_EPARSE, "%s formula '%s': %s (grammar: docs/formulas.md)", what,
                       hl_clip(text, ex), ps.msg);
    }
    int st = hl_expr_finish(&tree, out);
    free(tree.nd);
    return st;
}
