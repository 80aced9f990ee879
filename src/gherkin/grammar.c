/*
 * The Gherkin 6 grammar as a state table: for each parser state, the token
 * types it accepts in order (with an optional lookahead), the AST builder
 * operations of each transition and the next state, and the list of
 * expected tokens its error message names. Transcribed from the official
 * grammar (cucumber/gherkin gherkin.berp, as its generated parsers run it),
 * so that states, transitions and error texts are the official ones.
 * State 42 is the end (EOF accepted).
 */
#include <string.h>

#include "core/error.h"
#include "gherkin/internal.h"

#define E    LB__OP_END
#define B    LB__OP_BUILD
#define S(r) ((uint16_t)(LB__OP_START | ((r) << 8)))

const char *const lb__gh_token_names[LB__T_COUNT] = {"None",
                                                     "EOF",
                                                     "Empty",
                                                     "Comment",
                                                     "TagLine",
                                                     "FeatureLine",
                                                     "RuleLine",
                                                     "BackgroundLine",
                                                     "ScenarioLine",
                                                     "ExamplesLine",
                                                     "StepLine",
                                                     "DocStringSeparator",
                                                     "TableRow",
                                                     "Language",
                                                     "Other"};

const struct lb__gh_transition lb__gh_transitions[] = {
    {LB__T_EOF, -1, 42, {B, 0}}, /* 0 */
    {LB__T_LANGUAGE,
     -1,
     1,
     {S(LB__R_FEATURE), S(LB__R_FEATURE_HEADER), B, 0}}, /* 0 */
    {LB__T_TAG_LINE,
     -1,
     2,
     {S(LB__R_FEATURE), S(LB__R_FEATURE_HEADER), S(LB__R_TAGS), B, 0}}, /* 0 */
    {LB__T_FEATURE_LINE,
     -1,
     3,
     {S(LB__R_FEATURE), S(LB__R_FEATURE_HEADER), B, 0}},            /* 0 */
    {LB__T_COMMENT, -1, 0, {B, 0}},                                 /* 0 */
    {LB__T_EMPTY, -1, 0, {B, 0}},                                   /* 0 */
    {LB__T_TAG_LINE, -1, 2, {S(LB__R_TAGS), B, 0}},                 /* 1 */
    {LB__T_FEATURE_LINE, -1, 3, {B, 0}},                            /* 1 */
    {LB__T_COMMENT, -1, 1, {B, 0}},                                 /* 1 */
    {LB__T_EMPTY, -1, 1, {B, 0}},                                   /* 1 */
    {LB__T_TAG_LINE, -1, 2, {B, 0}},                                /* 2 */
    {LB__T_FEATURE_LINE, -1, 3, {E, B, 0}},                         /* 2 */
    {LB__T_COMMENT, -1, 2, {B, 0}},                                 /* 2 */
    {LB__T_EMPTY, -1, 2, {B, 0}},                                   /* 2 */
    {LB__T_EOF, -1, 42, {E, E, B, 0}},                              /* 3 */
    {LB__T_EMPTY, -1, 3, {B, 0}},                                   /* 3 */
    {LB__T_COMMENT, -1, 4, {S(LB__R_DESCRIPTION), B, 0}},           /* 3 */
    {LB__T_BACKGROUND_LINE, -1, 5, {E, S(LB__R_BACKGROUND), B, 0}}, /* 3 */
    {LB__T_TAG_LINE,
     0,
     11,
     {E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 3 */
    {LB__T_TAG_LINE,
     -1,
     22,
     {E, S(LB__R_RULE), S(LB__R_RULE_HEADER), S(LB__R_TAGS), B, 0}}, /* 3 */
    {LB__T_SCENARIO_LINE,
     -1,
     12,
     {E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_SCENARIO), B, 0}}, /* 3 */
    {LB__T_RULE_LINE,
     -1,
     23,
     {E, S(LB__R_RULE), S(LB__R_RULE_HEADER), B, 0}},                  /* 3 */
    {LB__T_OTHER, -1, 4, {S(LB__R_DESCRIPTION), B, 0}},                /* 3 */
    {LB__T_EOF, -1, 42, {E, E, E, B, 0}},                              /* 4 */
    {LB__T_COMMENT, -1, 4, {B, 0}},                                    /* 4 */
    {LB__T_BACKGROUND_LINE, -1, 5, {E, E, S(LB__R_BACKGROUND), B, 0}}, /* 4 */
    {LB__T_TAG_LINE,
     0,
     11,
     {E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 4 */
    {LB__T_TAG_LINE,
     -1,
     22,
     {E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), S(LB__R_TAGS), B, 0}}, /* 4 */
    {LB__T_SCENARIO_LINE,
     -1,
     12,
     {E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_SCENARIO), B, 0}}, /* 4 */
    {LB__T_RULE_LINE,
     -1,
     23,
     {E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), B, 0}},  /* 4 */
    {LB__T_OTHER, -1, 4, {B, 0}},                         /* 4 */
    {LB__T_EOF, -1, 42, {E, E, B, 0}},                    /* 5 */
    {LB__T_EMPTY, -1, 5, {B, 0}},                         /* 5 */
    {LB__T_COMMENT, -1, 6, {S(LB__R_DESCRIPTION), B, 0}}, /* 5 */
    {LB__T_STEP_LINE, -1, 7, {S(LB__R_STEP), B, 0}},      /* 5 */
    {LB__T_TAG_LINE,
     0,
     11,
     {E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 5 */
    {LB__T_TAG_LINE,
     -1,
     22,
     {E, S(LB__R_RULE), S(LB__R_RULE_HEADER), S(LB__R_TAGS), B, 0}}, /* 5 */
    {LB__T_SCENARIO_LINE,
     -1,
     12,
     {E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_SCENARIO), B, 0}}, /* 5 */
    {LB__T_RULE_LINE,
     -1,
     23,
     {E, S(LB__R_RULE), S(LB__R_RULE_HEADER), B, 0}},   /* 5 */
    {LB__T_OTHER, -1, 6, {S(LB__R_DESCRIPTION), B, 0}}, /* 5 */
    {LB__T_EOF, -1, 42, {E, E, E, B, 0}},               /* 6 */
    {LB__T_COMMENT, -1, 6, {B, 0}},                     /* 6 */
    {LB__T_STEP_LINE, -1, 7, {E, S(LB__R_STEP), B, 0}}, /* 6 */
    {LB__T_TAG_LINE,
     0,
     11,
     {E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 6 */
    {LB__T_TAG_LINE,
     -1,
     22,
     {E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), S(LB__R_TAGS), B, 0}}, /* 6 */
    {LB__T_SCENARIO_LINE,
     -1,
     12,
     {E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_SCENARIO), B, 0}}, /* 6 */
    {LB__T_RULE_LINE,
     -1,
     23,
     {E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), B, 0}},               /* 6 */
    {LB__T_OTHER, -1, 6, {B, 0}},                                      /* 6 */
    {LB__T_EOF, -1, 42, {E, E, E, B, 0}},                              /* 7 */
    {LB__T_TABLE_ROW, -1, 8, {S(LB__R_DATA_TABLE), B, 0}},             /* 7 */
    {LB__T_DOC_STRING_SEPARATOR, -1, 52, {S(LB__R_DOC_STRING), B, 0}}, /* 7 */
    {LB__T_STEP_LINE, -1, 7, {E, S(LB__R_STEP), B, 0}},                /* 7 */
    {LB__T_TAG_LINE,
     0,
     11,
     {E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 7 */
    {LB__T_TAG_LINE,
     -1,
     22,
     {E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), S(LB__R_TAGS), B, 0}}, /* 7 */
    {LB__T_SCENARIO_LINE,
     -1,
     12,
     {E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_SCENARIO), B, 0}}, /* 7 */
    {LB__T_RULE_LINE,
     -1,
     23,
     {E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), B, 0}},                 /* 7 */
    {LB__T_COMMENT, -1, 7, {B, 0}},                                      /* 7 */
    {LB__T_EMPTY, -1, 7, {B, 0}},                                        /* 7 */
    {LB__T_EOF, -1, 42, {E, E, E, E, B, 0}},                             /* 8 */
    {LB__T_TABLE_ROW, -1, 8, {B, 0}},                                    /* 8 */
    {LB__T_DOC_STRING_SEPARATOR, -1, 9, {E, S(LB__R_DOC_STRING), B, 0}}, /* 8 */
    {LB__T_STEP_LINE, -1, 7, {E, E, S(LB__R_STEP), B, 0}},               /* 8 */
    {LB__T_TAG_LINE,
     0,
     11,
     {E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 8 */
    {LB__T_TAG_LINE,
     -1,
     22,
     {E, E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), S(LB__R_TAGS), B, 0}}, /* 8
                                                                            */
    {LB__T_SCENARIO_LINE,
     -1,
     12,
     {E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_SCENARIO), B, 0}}, /* 8 */
    {LB__T_RULE_LINE,
     -1,
     23,
     {E, E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), B, 0}}, /* 8 */
    {LB__T_COMMENT, -1, 8, {B, 0}},                         /* 8 */
    {LB__T_EMPTY, -1, 8, {B, 0}},                           /* 8 */
    {LB__T_DOC_STRING_SEPARATOR, -1, 10, {B, 0}},           /* 9 */
    {LB__T_OTHER, -1, 9, {B, 0}},                           /* 9 */
    {LB__T_EOF, -1, 42, {E, E, E, E, B, 0}},                /* 10 */
    {LB__T_STEP_LINE, -1, 7, {E, E, S(LB__R_STEP), B, 0}},  /* 10 */
    {LB__T_TAG_LINE,
     0,
     11,
     {E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 10 */
    {LB__T_TAG_LINE,
     -1,
     22,
     {E, E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), S(LB__R_TAGS), B, 0}}, /* 10
                                                                            */
    {LB__T_SCENARIO_LINE,
     -1,
     12,
     {E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_SCENARIO), B, 0}}, /* 10 */
    {LB__T_RULE_LINE,
     -1,
     23,
     {E, E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), B, 0}},      /* 10 */
    {LB__T_COMMENT, -1, 10, {B, 0}},                             /* 10 */
    {LB__T_EMPTY, -1, 10, {B, 0}},                               /* 10 */
    {LB__T_TAG_LINE, -1, 11, {B, 0}},                            /* 11 */
    {LB__T_SCENARIO_LINE, -1, 12, {E, S(LB__R_SCENARIO), B, 0}}, /* 11 */
    {LB__T_COMMENT, -1, 11, {B, 0}},                             /* 11 */
    {LB__T_EMPTY, -1, 11, {B, 0}},                               /* 11 */
    {LB__T_EOF, -1, 42, {E, E, E, B, 0}},                        /* 12 */
    {LB__T_EMPTY, -1, 12, {B, 0}},                               /* 12 */
    {LB__T_COMMENT, -1, 13, {S(LB__R_DESCRIPTION), B, 0}},       /* 12 */
    {LB__T_STEP_LINE, -1, 14, {S(LB__R_STEP), B, 0}},            /* 12 */
    {LB__T_TAG_LINE,
     1,
     18,
     {S(LB__R_EXAMPLES_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 12 */
    {LB__T_TAG_LINE,
     0,
     11,
     {E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 12 */
    {LB__T_TAG_LINE,
     -1,
     22,
     {E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), S(LB__R_TAGS), B, 0}}, /* 12 */
    {LB__T_EXAMPLES_LINE,
     -1,
     19,
     {S(LB__R_EXAMPLES_DEFINITION), S(LB__R_EXAMPLES), B, 0}}, /* 12 */
    {LB__T_SCENARIO_LINE,
     -1,
     12,
     {E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_SCENARIO), B, 0}}, /* 12 */
    {LB__T_RULE_LINE,
     -1,
     23,
     {E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), B, 0}}, /* 12 */
    {LB__T_OTHER, -1, 13, {S(LB__R_DESCRIPTION), B, 0}}, /* 12 */
    {LB__T_EOF, -1, 42, {E, E, E, E, B, 0}},             /* 13 */
    {LB__T_COMMENT, -1, 13, {B, 0}},                     /* 13 */
    {LB__T_STEP_LINE, -1, 14, {E, S(LB__R_STEP), B, 0}}, /* 13 */
    {LB__T_TAG_LINE,
     1,
     18,
     {E, S(LB__R_EXAMPLES_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 13 */
    {LB__T_TAG_LINE,
     0,
     11,
     {E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 13 */
    {LB__T_TAG_LINE,
     -1,
     22,
     {E, E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), S(LB__R_TAGS), B, 0}}, /* 13
                                                                            */
    {LB__T_EXAMPLES_LINE,
     -1,
     19,
     {E, S(LB__R_EXAMPLES_DEFINITION), S(LB__R_EXAMPLES), B, 0}}, /* 13 */
    {LB__T_SCENARIO_LINE,
     -1,
     12,
     {E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_SCENARIO), B, 0}}, /* 13 */
    {LB__T_RULE_LINE,
     -1,
     23,
     {E, E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), B, 0}},            /* 13 */
    {LB__T_OTHER, -1, 13, {B, 0}},                                     /* 13 */
    {LB__T_EOF, -1, 42, {E, E, E, E, B, 0}},                           /* 14 */
    {LB__T_TABLE_ROW, -1, 15, {S(LB__R_DATA_TABLE), B, 0}},            /* 14 */
    {LB__T_DOC_STRING_SEPARATOR, -1, 49, {S(LB__R_DOC_STRING), B, 0}}, /* 14 */
    {LB__T_STEP_LINE, -1, 14, {E, S(LB__R_STEP), B, 0}},               /* 14 */
    {LB__T_TAG_LINE,
     1,
     18,
     {E, S(LB__R_EXAMPLES_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 14 */
    {LB__T_TAG_LINE,
     0,
     11,
     {E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 14 */
    {LB__T_TAG_LINE,
     -1,
     22,
     {E, E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), S(LB__R_TAGS), B, 0}}, /* 14
                                                                            */
    {LB__T_EXAMPLES_LINE,
     -1,
     19,
     {E, S(LB__R_EXAMPLES_DEFINITION), S(LB__R_EXAMPLES), B, 0}}, /* 14 */
    {LB__T_SCENARIO_LINE,
     -1,
     12,
     {E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_SCENARIO), B, 0}}, /* 14 */
    {LB__T_RULE_LINE,
     -1,
     23,
     {E, E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), B, 0}}, /* 14 */
    {LB__T_COMMENT, -1, 14, {B, 0}},                        /* 14 */
    {LB__T_EMPTY, -1, 14, {B, 0}},                          /* 14 */
    {LB__T_EOF, -1, 42, {E, E, E, E, E, B, 0}},             /* 15 */
    {LB__T_TABLE_ROW, -1, 15, {B, 0}},                      /* 15 */
    {LB__T_DOC_STRING_SEPARATOR,
     -1,
     16,
     {E, S(LB__R_DOC_STRING), B, 0}},                       /* 15 */
    {LB__T_STEP_LINE, -1, 14, {E, E, S(LB__R_STEP), B, 0}}, /* 15 */
    {LB__T_TAG_LINE,
     1,
     18,
     {E, E, S(LB__R_EXAMPLES_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 15 */
    {LB__T_TAG_LINE,
     0,
     11,
     {E, E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 15 */
    {LB__T_TAG_LINE,
     -1,
     22,
     {E,
      E,
      E,
      E,
      S(LB__R_RULE),
      S(LB__R_RULE_HEADER),
      S(LB__R_TAGS),
      B,
      0}}, /* 15 */
    {LB__T_EXAMPLES_LINE,
     -1,
     19,
     {E, E, S(LB__R_EXAMPLES_DEFINITION), S(LB__R_EXAMPLES), B, 0}}, /* 15 */
    {LB__T_SCENARIO_LINE,
     -1,
     12,
     {E, E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_SCENARIO), B, 0}}, /* 15
                                                                            */
    {LB__T_RULE_LINE,
     -1,
     23,
     {E, E, E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), B, 0}}, /* 15 */
    {LB__T_COMMENT, -1, 15, {B, 0}},                           /* 15 */
    {LB__T_EMPTY, -1, 15, {B, 0}},                             /* 15 */
    {LB__T_DOC_STRING_SEPARATOR, -1, 17, {B, 0}},              /* 16 */
    {LB__T_OTHER, -1, 16, {B, 0}},                             /* 16 */
    {LB__T_EOF, -1, 42, {E, E, E, E, E, B, 0}},                /* 17 */
    {LB__T_STEP_LINE, -1, 14, {E, E, S(LB__R_STEP), B, 0}},    /* 17 */
    {LB__T_TAG_LINE,
     1,
     18,
     {E, E, S(LB__R_EXAMPLES_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 17 */
    {LB__T_TAG_LINE,
     0,
     11,
     {E, E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 17 */
    {LB__T_TAG_LINE,
     -1,
     22,
     {E,
      E,
      E,
      E,
      S(LB__R_RULE),
      S(LB__R_RULE_HEADER),
      S(LB__R_TAGS),
      B,
      0}}, /* 17 */
    {LB__T_EXAMPLES_LINE,
     -1,
     19,
     {E, E, S(LB__R_EXAMPLES_DEFINITION), S(LB__R_EXAMPLES), B, 0}}, /* 17 */
    {LB__T_SCENARIO_LINE,
     -1,
     12,
     {E, E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_SCENARIO), B, 0}}, /* 17
                                                                            */
    {LB__T_RULE_LINE,
     -1,
     23,
     {E, E, E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), B, 0}},   /* 17 */
    {LB__T_COMMENT, -1, 17, {B, 0}},                             /* 17 */
    {LB__T_EMPTY, -1, 17, {B, 0}},                               /* 17 */
    {LB__T_TAG_LINE, -1, 18, {B, 0}},                            /* 18 */
    {LB__T_EXAMPLES_LINE, -1, 19, {E, S(LB__R_EXAMPLES), B, 0}}, /* 18 */
    {LB__T_COMMENT, -1, 18, {B, 0}},                             /* 18 */
    {LB__T_EMPTY, -1, 18, {B, 0}},                               /* 18 */
    {LB__T_EOF, -1, 42, {E, E, E, E, E, B, 0}},                  /* 19 */
    {LB__T_EMPTY, -1, 19, {B, 0}},                               /* 19 */
    {LB__T_COMMENT, -1, 20, {S(LB__R_DESCRIPTION), B, 0}},       /* 19 */
    {LB__T_TABLE_ROW, -1, 21, {S(LB__R_EXAMPLES_TABLE), B, 0}},  /* 19 */
    {LB__T_TAG_LINE,
     1,
     18,
     {E, E, S(LB__R_EXAMPLES_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 19 */
    {LB__T_TAG_LINE,
     0,
     11,
     {E, E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 19 */
    {LB__T_TAG_LINE,
     -1,
     22,
     {E,
      E,
      E,
      E,
      S(LB__R_RULE),
      S(LB__R_RULE_HEADER),
      S(LB__R_TAGS),
      B,
      0}}, /* 19 */
    {LB__T_EXAMPLES_LINE,
     -1,
     19,
     {E, E, S(LB__R_EXAMPLES_DEFINITION), S(LB__R_EXAMPLES), B, 0}}, /* 19 */
    {LB__T_SCENARIO_LINE,
     -1,
     12,
     {E, E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_SCENARIO), B, 0}}, /* 19
                                                                            */
    {LB__T_RULE_LINE,
     -1,
     23,
     {E, E, E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), B, 0}},     /* 19 */
    {LB__T_OTHER, -1, 20, {S(LB__R_DESCRIPTION), B, 0}},           /* 19 */
    {LB__T_EOF, -1, 42, {E, E, E, E, E, E, B, 0}},                 /* 20 */
    {LB__T_COMMENT, -1, 20, {B, 0}},                               /* 20 */
    {LB__T_TABLE_ROW, -1, 21, {E, S(LB__R_EXAMPLES_TABLE), B, 0}}, /* 20 */
    {LB__T_TAG_LINE,
     1,
     18,
     {E, E, E, S(LB__R_EXAMPLES_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 20 */
    {LB__T_TAG_LINE,
     0,
     11,
     {E, E, E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 20
                                                                           */
    {LB__T_TAG_LINE,
     -1,
     22,
     {E,
      E,
      E,
      E,
      E,
      S(LB__R_RULE),
      S(LB__R_RULE_HEADER),
      S(LB__R_TAGS),
      B,
      0}}, /* 20 */
    {LB__T_EXAMPLES_LINE,
     -1,
     19,
     {E, E, E, S(LB__R_EXAMPLES_DEFINITION), S(LB__R_EXAMPLES), B, 0}}, /* 20 */
    {LB__T_SCENARIO_LINE,
     -1,
     12,
     {E,
      E,
      E,
      E,
      E,
      S(LB__R_SCENARIO_DEFINITION),
      S(LB__R_SCENARIO),
      B,
      0}}, /* 20 */
    {LB__T_RULE_LINE,
     -1,
     23,
     {E, E, E, E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), B, 0}}, /* 20 */
    {LB__T_OTHER, -1, 20, {B, 0}},                                /* 20 */
    {LB__T_EOF, -1, 42, {E, E, E, E, E, E, B, 0}},                /* 21 */
    {LB__T_TABLE_ROW, -1, 21, {B, 0}},                            /* 21 */
    {LB__T_TAG_LINE,
     1,
     18,
     {E, E, E, S(LB__R_EXAMPLES_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 21 */
    {LB__T_TAG_LINE,
     0,
     11,
     {E, E, E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 21
                                                                           */
    {LB__T_TAG_LINE,
     -1,
     22,
     {E,
      E,
      E,
      E,
      E,
      S(LB__R_RULE),
      S(LB__R_RULE_HEADER),
      S(LB__R_TAGS),
      B,
      0}}, /* 21 */
    {LB__T_EXAMPLES_LINE,
     -1,
     19,
     {E, E, E, S(LB__R_EXAMPLES_DEFINITION), S(LB__R_EXAMPLES), B, 0}}, /* 21 */
    {LB__T_SCENARIO_LINE,
     -1,
     12,
     {E,
      E,
      E,
      E,
      E,
      S(LB__R_SCENARIO_DEFINITION),
      S(LB__R_SCENARIO),
      B,
      0}}, /* 21 */
    {LB__T_RULE_LINE,
     -1,
     23,
     {E, E, E, E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), B, 0}},    /* 21 */
    {LB__T_COMMENT, -1, 21, {B, 0}},                                 /* 21 */
    {LB__T_EMPTY, -1, 21, {B, 0}},                                   /* 21 */
    {LB__T_TAG_LINE, -1, 22, {B, 0}},                                /* 22 */
    {LB__T_RULE_LINE, -1, 23, {E, B, 0}},                            /* 22 */
    {LB__T_COMMENT, -1, 22, {B, 0}},                                 /* 22 */
    {LB__T_EMPTY, -1, 22, {B, 0}},                                   /* 22 */
    {LB__T_EOF, -1, 42, {E, E, E, B, 0}},                            /* 23 */
    {LB__T_EMPTY, -1, 23, {B, 0}},                                   /* 23 */
    {LB__T_COMMENT, -1, 24, {S(LB__R_DESCRIPTION), B, 0}},           /* 23 */
    {LB__T_BACKGROUND_LINE, -1, 25, {E, S(LB__R_BACKGROUND), B, 0}}, /* 23 */
    {LB__T_TAG_LINE,
     0,
     31,
     {E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 23 */
    {LB__T_TAG_LINE,
     -1,
     22,
     {E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), S(LB__R_TAGS), B, 0}}, /* 23 */
    {LB__T_SCENARIO_LINE,
     -1,
     32,
     {E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_SCENARIO), B, 0}}, /* 23 */
    {LB__T_RULE_LINE,
     -1,
     23,
     {E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), B, 0}},                /* 23 */
    {LB__T_OTHER, -1, 24, {S(LB__R_DESCRIPTION), B, 0}},                /* 23 */
    {LB__T_EOF, -1, 42, {E, E, E, E, B, 0}},                            /* 24 */
    {LB__T_COMMENT, -1, 24, {B, 0}},                                    /* 24 */
    {LB__T_BACKGROUND_LINE, -1, 25, {E, E, S(LB__R_BACKGROUND), B, 0}}, /* 24 */
    {LB__T_TAG_LINE,
     0,
     31,
     {E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 24 */
    {LB__T_TAG_LINE,
     -1,
     22,
     {E, E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), S(LB__R_TAGS), B, 0}}, /* 24
                                                                            */
    {LB__T_SCENARIO_LINE,
     -1,
     32,
     {E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_SCENARIO), B, 0}}, /* 24 */
    {LB__T_RULE_LINE,
     -1,
     23,
     {E, E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), B, 0}}, /* 24 */
    {LB__T_OTHER, -1, 24, {B, 0}},                          /* 24 */
    {LB__T_EOF, -1, 42, {E, E, E, B, 0}},                   /* 25 */
    {LB__T_EMPTY, -1, 25, {B, 0}},                          /* 25 */
    {LB__T_COMMENT, -1, 26, {S(LB__R_DESCRIPTION), B, 0}},  /* 25 */
    {LB__T_STEP_LINE, -1, 27, {S(LB__R_STEP), B, 0}},       /* 25 */
    {LB__T_TAG_LINE,
     0,
     31,
     {E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 25 */
    {LB__T_TAG_LINE,
     -1,
     22,
     {E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), S(LB__R_TAGS), B, 0}}, /* 25 */
    {LB__T_SCENARIO_LINE,
     -1,
     32,
     {E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_SCENARIO), B, 0}}, /* 25 */
    {LB__T_RULE_LINE,
     -1,
     23,
     {E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), B, 0}}, /* 25 */
    {LB__T_OTHER, -1, 26, {S(LB__R_DESCRIPTION), B, 0}}, /* 25 */
    {LB__T_EOF, -1, 42, {E, E, E, E, B, 0}},             /* 26 */
    {LB__T_COMMENT, -1, 26, {B, 0}},                     /* 26 */
    {LB__T_STEP_LINE, -1, 27, {E, S(LB__R_STEP), B, 0}}, /* 26 */
    {LB__T_TAG_LINE,
     0,
     31,
     {E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 26 */
    {LB__T_TAG_LINE,
     -1,
     22,
     {E, E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), S(LB__R_TAGS), B, 0}}, /* 26
                                                                            */
    {LB__T_SCENARIO_LINE,
     -1,
     32,
     {E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_SCENARIO), B, 0}}, /* 26 */
    {LB__T_RULE_LINE,
     -1,
     23,
     {E, E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), B, 0}},            /* 26 */
    {LB__T_OTHER, -1, 26, {B, 0}},                                     /* 26 */
    {LB__T_EOF, -1, 42, {E, E, E, E, B, 0}},                           /* 27 */
    {LB__T_TABLE_ROW, -1, 28, {S(LB__R_DATA_TABLE), B, 0}},            /* 27 */
    {LB__T_DOC_STRING_SEPARATOR, -1, 46, {S(LB__R_DOC_STRING), B, 0}}, /* 27 */
    {LB__T_STEP_LINE, -1, 27, {E, S(LB__R_STEP), B, 0}},               /* 27 */
    {LB__T_TAG_LINE,
     0,
     31,
     {E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 27 */
    {LB__T_TAG_LINE,
     -1,
     22,
     {E, E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), S(LB__R_TAGS), B, 0}}, /* 27
                                                                            */
    {LB__T_SCENARIO_LINE,
     -1,
     32,
     {E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_SCENARIO), B, 0}}, /* 27 */
    {LB__T_RULE_LINE,
     -1,
     23,
     {E, E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), B, 0}}, /* 27 */
    {LB__T_COMMENT, -1, 27, {B, 0}},                        /* 27 */
    {LB__T_EMPTY, -1, 27, {B, 0}},                          /* 27 */
    {LB__T_EOF, -1, 42, {E, E, E, E, E, B, 0}},             /* 28 */
    {LB__T_TABLE_ROW, -1, 28, {B, 0}},                      /* 28 */
    {LB__T_DOC_STRING_SEPARATOR,
     -1,
     29,
     {E, S(LB__R_DOC_STRING), B, 0}},                       /* 28 */
    {LB__T_STEP_LINE, -1, 27, {E, E, S(LB__R_STEP), B, 0}}, /* 28 */
    {LB__T_TAG_LINE,
     0,
     31,
     {E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 28 */
    {LB__T_TAG_LINE,
     -1,
     22,
     {E,
      E,
      E,
      E,
      S(LB__R_RULE),
      S(LB__R_RULE_HEADER),
      S(LB__R_TAGS),
      B,
      0}}, /* 28 */
    {LB__T_SCENARIO_LINE,
     -1,
     32,
     {E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_SCENARIO), B, 0}}, /* 28 */
    {LB__T_RULE_LINE,
     -1,
     23,
     {E, E, E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), B, 0}}, /* 28 */
    {LB__T_COMMENT, -1, 28, {B, 0}},                           /* 28 */
    {LB__T_EMPTY, -1, 28, {B, 0}},                             /* 28 */
    {LB__T_DOC_STRING_SEPARATOR, -1, 30, {B, 0}},              /* 29 */
    {LB__T_OTHER, -1, 29, {B, 0}},                             /* 29 */
    {LB__T_EOF, -1, 42, {E, E, E, E, E, B, 0}},                /* 30 */
    {LB__T_STEP_LINE, -1, 27, {E, E, S(LB__R_STEP), B, 0}},    /* 30 */
    {LB__T_TAG_LINE,
     0,
     31,
     {E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 30 */
    {LB__T_TAG_LINE,
     -1,
     22,
     {E,
      E,
      E,
      E,
      S(LB__R_RULE),
      S(LB__R_RULE_HEADER),
      S(LB__R_TAGS),
      B,
      0}}, /* 30 */
    {LB__T_SCENARIO_LINE,
     -1,
     32,
     {E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_SCENARIO), B, 0}}, /* 30 */
    {LB__T_RULE_LINE,
     -1,
     23,
     {E, E, E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), B, 0}},   /* 30 */
    {LB__T_COMMENT, -1, 30, {B, 0}},                             /* 30 */
    {LB__T_EMPTY, -1, 30, {B, 0}},                               /* 30 */
    {LB__T_TAG_LINE, -1, 31, {B, 0}},                            /* 31 */
    {LB__T_SCENARIO_LINE, -1, 32, {E, S(LB__R_SCENARIO), B, 0}}, /* 31 */
    {LB__T_COMMENT, -1, 31, {B, 0}},                             /* 31 */
    {LB__T_EMPTY, -1, 31, {B, 0}},                               /* 31 */
    {LB__T_EOF, -1, 42, {E, E, E, E, B, 0}},                     /* 32 */
    {LB__T_EMPTY, -1, 32, {B, 0}},                               /* 32 */
    {LB__T_COMMENT, -1, 33, {S(LB__R_DESCRIPTION), B, 0}},       /* 32 */
    {LB__T_STEP_LINE, -1, 34, {S(LB__R_STEP), B, 0}},            /* 32 */
    {LB__T_TAG_LINE,
     1,
     38,
     {S(LB__R_EXAMPLES_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 32 */
    {LB__T_TAG_LINE,
     0,
     31,
     {E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 32 */
    {LB__T_TAG_LINE,
     -1,
     22,
     {E, E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), S(LB__R_TAGS), B, 0}}, /* 32
                                                                            */
    {LB__T_EXAMPLES_LINE,
     -1,
     39,
     {S(LB__R_EXAMPLES_DEFINITION), S(LB__R_EXAMPLES), B, 0}}, /* 32 */
    {LB__T_SCENARIO_LINE,
     -1,
     32,
     {E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_SCENARIO), B, 0}}, /* 32 */
    {LB__T_RULE_LINE,
     -1,
     23,
     {E, E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), B, 0}}, /* 32 */
    {LB__T_OTHER, -1, 33, {S(LB__R_DESCRIPTION), B, 0}},    /* 32 */
    {LB__T_EOF, -1, 42, {E, E, E, E, E, B, 0}},             /* 33 */
    {LB__T_COMMENT, -1, 33, {B, 0}},                        /* 33 */
    {LB__T_STEP_LINE, -1, 34, {E, S(LB__R_STEP), B, 0}},    /* 33 */
    {LB__T_TAG_LINE,
     1,
     38,
     {E, S(LB__R_EXAMPLES_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 33 */
    {LB__T_TAG_LINE,
     0,
     31,
     {E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 33 */
    {LB__T_TAG_LINE,
     -1,
     22,
     {E,
      E,
      E,
      E,
      S(LB__R_RULE),
      S(LB__R_RULE_HEADER),
      S(LB__R_TAGS),
      B,
      0}}, /* 33 */
    {LB__T_EXAMPLES_LINE,
     -1,
     39,
     {E, S(LB__R_EXAMPLES_DEFINITION), S(LB__R_EXAMPLES), B, 0}}, /* 33 */
    {LB__T_SCENARIO_LINE,
     -1,
     32,
     {E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_SCENARIO), B, 0}}, /* 33 */
    {LB__T_RULE_LINE,
     -1,
     23,
     {E, E, E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), B, 0}},         /* 33 */
    {LB__T_OTHER, -1, 33, {B, 0}},                                     /* 33 */
    {LB__T_EOF, -1, 42, {E, E, E, E, E, B, 0}},                        /* 34 */
    {LB__T_TABLE_ROW, -1, 35, {S(LB__R_DATA_TABLE), B, 0}},            /* 34 */
    {LB__T_DOC_STRING_SEPARATOR, -1, 43, {S(LB__R_DOC_STRING), B, 0}}, /* 34 */
    {LB__T_STEP_LINE, -1, 34, {E, S(LB__R_STEP), B, 0}},               /* 34 */
    {LB__T_TAG_LINE,
     1,
     38,
     {E, S(LB__R_EXAMPLES_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 34 */
    {LB__T_TAG_LINE,
     0,
     31,
     {E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 34 */
    {LB__T_TAG_LINE,
     -1,
     22,
     {E,
      E,
      E,
      E,
      S(LB__R_RULE),
      S(LB__R_RULE_HEADER),
      S(LB__R_TAGS),
      B,
      0}}, /* 34 */
    {LB__T_EXAMPLES_LINE,
     -1,
     39,
     {E, S(LB__R_EXAMPLES_DEFINITION), S(LB__R_EXAMPLES), B, 0}}, /* 34 */
    {LB__T_SCENARIO_LINE,
     -1,
     32,
     {E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_SCENARIO), B, 0}}, /* 34 */
    {LB__T_RULE_LINE,
     -1,
     23,
     {E, E, E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), B, 0}}, /* 34 */
    {LB__T_COMMENT, -1, 34, {B, 0}},                           /* 34 */
    {LB__T_EMPTY, -1, 34, {B, 0}},                             /* 34 */
    {LB__T_EOF, -1, 42, {E, E, E, E, E, E, B, 0}},             /* 35 */
    {LB__T_TABLE_ROW, -1, 35, {B, 0}},                         /* 35 */
    {LB__T_DOC_STRING_SEPARATOR,
     -1,
     36,
     {E, S(LB__R_DOC_STRING), B, 0}},                       /* 35 */
    {LB__T_STEP_LINE, -1, 34, {E, E, S(LB__R_STEP), B, 0}}, /* 35 */
    {LB__T_TAG_LINE,
     1,
     38,
     {E, E, S(LB__R_EXAMPLES_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 35 */
    {LB__T_TAG_LINE,
     0,
     31,
     {E, E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 35 */
    {LB__T_TAG_LINE,
     -1,
     22,
     {E,
      E,
      E,
      E,
      E,
      S(LB__R_RULE),
      S(LB__R_RULE_HEADER),
      S(LB__R_TAGS),
      B,
      0}}, /* 35 */
    {LB__T_EXAMPLES_LINE,
     -1,
     39,
     {E, E, S(LB__R_EXAMPLES_DEFINITION), S(LB__R_EXAMPLES), B, 0}}, /* 35 */
    {LB__T_SCENARIO_LINE,
     -1,
     32,
     {E, E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_SCENARIO), B, 0}}, /* 35
                                                                            */
    {LB__T_RULE_LINE,
     -1,
     23,
     {E, E, E, E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), B, 0}}, /* 35 */
    {LB__T_COMMENT, -1, 35, {B, 0}},                              /* 35 */
    {LB__T_EMPTY, -1, 35, {B, 0}},                                /* 35 */
    {LB__T_DOC_STRING_SEPARATOR, -1, 37, {B, 0}},                 /* 36 */
    {LB__T_OTHER, -1, 36, {B, 0}},                                /* 36 */
    {LB__T_EOF, -1, 42, {E, E, E, E, E, E, B, 0}},                /* 37 */
    {LB__T_STEP_LINE, -1, 34, {E, E, S(LB__R_STEP), B, 0}},       /* 37 */
    {LB__T_TAG_LINE,
     1,
     38,
     {E, E, S(LB__R_EXAMPLES_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 37 */
    {LB__T_TAG_LINE,
     0,
     31,
     {E, E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 37 */
    {LB__T_TAG_LINE,
     -1,
     22,
     {E,
      E,
      E,
      E,
      E,
      S(LB__R_RULE),
      S(LB__R_RULE_HEADER),
      S(LB__R_TAGS),
      B,
      0}}, /* 37 */
    {LB__T_EXAMPLES_LINE,
     -1,
     39,
     {E, E, S(LB__R_EXAMPLES_DEFINITION), S(LB__R_EXAMPLES), B, 0}}, /* 37 */
    {LB__T_SCENARIO_LINE,
     -1,
     32,
     {E, E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_SCENARIO), B, 0}}, /* 37
                                                                            */
    {LB__T_RULE_LINE,
     -1,
     23,
     {E, E, E, E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), B, 0}}, /* 37 */
    {LB__T_COMMENT, -1, 37, {B, 0}},                              /* 37 */
    {LB__T_EMPTY, -1, 37, {B, 0}},                                /* 37 */
    {LB__T_TAG_LINE, -1, 38, {B, 0}},                             /* 38 */
    {LB__T_EXAMPLES_LINE, -1, 39, {E, S(LB__R_EXAMPLES), B, 0}},  /* 38 */
    {LB__T_COMMENT, -1, 38, {B, 0}},                              /* 38 */
    {LB__T_EMPTY, -1, 38, {B, 0}},                                /* 38 */
    {LB__T_EOF, -1, 42, {E, E, E, E, E, E, B, 0}},                /* 39 */
    {LB__T_EMPTY, -1, 39, {B, 0}},                                /* 39 */
    {LB__T_COMMENT, -1, 40, {S(LB__R_DESCRIPTION), B, 0}},        /* 39 */
    {LB__T_TABLE_ROW, -1, 41, {S(LB__R_EXAMPLES_TABLE), B, 0}},   /* 39 */
    {LB__T_TAG_LINE,
     1,
     38,
     {E, E, S(LB__R_EXAMPLES_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 39 */
    {LB__T_TAG_LINE,
     0,
     31,
     {E, E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 39 */
    {LB__T_TAG_LINE,
     -1,
     22,
     {E,
      E,
      E,
      E,
      E,
      S(LB__R_RULE),
      S(LB__R_RULE_HEADER),
      S(LB__R_TAGS),
      B,
      0}}, /* 39 */
    {LB__T_EXAMPLES_LINE,
     -1,
     39,
     {E, E, S(LB__R_EXAMPLES_DEFINITION), S(LB__R_EXAMPLES), B, 0}}, /* 39 */
    {LB__T_SCENARIO_LINE,
     -1,
     32,
     {E, E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_SCENARIO), B, 0}}, /* 39
                                                                            */
    {LB__T_RULE_LINE,
     -1,
     23,
     {E, E, E, E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), B, 0}},  /* 39 */
    {LB__T_OTHER, -1, 40, {S(LB__R_DESCRIPTION), B, 0}},           /* 39 */
    {LB__T_EOF, -1, 42, {E, E, E, E, E, E, E, B, 0}},              /* 40 */
    {LB__T_COMMENT, -1, 40, {B, 0}},                               /* 40 */
    {LB__T_TABLE_ROW, -1, 41, {E, S(LB__R_EXAMPLES_TABLE), B, 0}}, /* 40 */
    {LB__T_TAG_LINE,
     1,
     38,
     {E, E, E, S(LB__R_EXAMPLES_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 40 */
    {LB__T_TAG_LINE,
     0,
     31,
     {E, E, E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 40
                                                                           */
    {LB__T_TAG_LINE,
     -1,
     22,
     {E,
      E,
      E,
      E,
      E,
      E,
      S(LB__R_RULE),
      S(LB__R_RULE_HEADER),
      S(LB__R_TAGS),
      B,
      0}}, /* 40 */
    {LB__T_EXAMPLES_LINE,
     -1,
     39,
     {E, E, E, S(LB__R_EXAMPLES_DEFINITION), S(LB__R_EXAMPLES), B, 0}}, /* 40 */
    {LB__T_SCENARIO_LINE,
     -1,
     32,
     {E,
      E,
      E,
      E,
      E,
      S(LB__R_SCENARIO_DEFINITION),
      S(LB__R_SCENARIO),
      B,
      0}}, /* 40 */
    {LB__T_RULE_LINE,
     -1,
     23,
     {E, E, E, E, E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), B, 0}}, /* 40 */
    {LB__T_OTHER, -1, 40, {B, 0}},                                   /* 40 */
    {LB__T_EOF, -1, 42, {E, E, E, E, E, E, E, B, 0}},                /* 41 */
    {LB__T_TABLE_ROW, -1, 41, {B, 0}},                               /* 41 */
    {LB__T_TAG_LINE,
     1,
     38,
     {E, E, E, S(LB__R_EXAMPLES_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 41 */
    {LB__T_TAG_LINE,
     0,
     31,
     {E, E, E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 41
                                                                           */
    {LB__T_TAG_LINE,
     -1,
     22,
     {E,
      E,
      E,
      E,
      E,
      E,
      S(LB__R_RULE),
      S(LB__R_RULE_HEADER),
      S(LB__R_TAGS),
      B,
      0}}, /* 41 */
    {LB__T_EXAMPLES_LINE,
     -1,
     39,
     {E, E, E, S(LB__R_EXAMPLES_DEFINITION), S(LB__R_EXAMPLES), B, 0}}, /* 41 */
    {LB__T_SCENARIO_LINE,
     -1,
     32,
     {E,
      E,
      E,
      E,
      E,
      S(LB__R_SCENARIO_DEFINITION),
      S(LB__R_SCENARIO),
      B,
      0}}, /* 41 */
    {LB__T_RULE_LINE,
     -1,
     23,
     {E, E, E, E, E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), B, 0}}, /* 41 */
    {LB__T_COMMENT, -1, 41, {B, 0}},                                 /* 41 */
    {LB__T_EMPTY, -1, 41, {B, 0}},                                   /* 41 */
    {LB__T_DOC_STRING_SEPARATOR, -1, 44, {B, 0}},                    /* 43 */
    {LB__T_OTHER, -1, 43, {B, 0}},                                   /* 43 */
    {LB__T_EOF, -1, 42, {E, E, E, E, E, E, B, 0}},                   /* 44 */
    {LB__T_TABLE_ROW, -1, 45, {E, S(LB__R_DATA_TABLE), B, 0}},       /* 44 */
    {LB__T_STEP_LINE, -1, 34, {E, E, S(LB__R_STEP), B, 0}},          /* 44 */
    {LB__T_TAG_LINE,
     1,
     38,
     {E, E, S(LB__R_EXAMPLES_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 44 */
    {LB__T_TAG_LINE,
     0,
     31,
     {E, E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 44 */
    {LB__T_TAG_LINE,
     -1,
     22,
     {E,
      E,
      E,
      E,
      E,
      S(LB__R_RULE),
      S(LB__R_RULE_HEADER),
      S(LB__R_TAGS),
      B,
      0}}, /* 44 */
    {LB__T_EXAMPLES_LINE,
     -1,
     39,
     {E, E, S(LB__R_EXAMPLES_DEFINITION), S(LB__R_EXAMPLES), B, 0}}, /* 44 */
    {LB__T_SCENARIO_LINE,
     -1,
     32,
     {E, E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_SCENARIO), B, 0}}, /* 44
                                                                            */
    {LB__T_RULE_LINE,
     -1,
     23,
     {E, E, E, E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), B, 0}}, /* 44 */
    {LB__T_COMMENT, -1, 44, {B, 0}},                              /* 44 */
    {LB__T_EMPTY, -1, 44, {B, 0}},                                /* 44 */
    {LB__T_EOF, -1, 42, {E, E, E, E, E, E, B, 0}},                /* 45 */
    {LB__T_TABLE_ROW, -1, 45, {B, 0}},                            /* 45 */
    {LB__T_STEP_LINE, -1, 34, {E, E, S(LB__R_STEP), B, 0}},       /* 45 */
    {LB__T_TAG_LINE,
     1,
     38,
     {E, E, S(LB__R_EXAMPLES_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 45 */
    {LB__T_TAG_LINE,
     0,
     31,
     {E, E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 45 */
    {LB__T_TAG_LINE,
     -1,
     22,
     {E,
      E,
      E,
      E,
      E,
      S(LB__R_RULE),
      S(LB__R_RULE_HEADER),
      S(LB__R_TAGS),
      B,
      0}}, /* 45 */
    {LB__T_EXAMPLES_LINE,
     -1,
     39,
     {E, E, S(LB__R_EXAMPLES_DEFINITION), S(LB__R_EXAMPLES), B, 0}}, /* 45 */
    {LB__T_SCENARIO_LINE,
     -1,
     32,
     {E, E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_SCENARIO), B, 0}}, /* 45
                                                                            */
    {LB__T_RULE_LINE,
     -1,
     23,
     {E, E, E, E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), B, 0}}, /* 45 */
    {LB__T_COMMENT, -1, 45, {B, 0}},                              /* 45 */
    {LB__T_EMPTY, -1, 45, {B, 0}},                                /* 45 */
    {LB__T_DOC_STRING_SEPARATOR, -1, 47, {B, 0}},                 /* 46 */
    {LB__T_OTHER, -1, 46, {B, 0}},                                /* 46 */
    {LB__T_EOF, -1, 42, {E, E, E, E, E, B, 0}},                   /* 47 */
    {LB__T_TABLE_ROW, -1, 48, {E, S(LB__R_DATA_TABLE), B, 0}},    /* 47 */
    {LB__T_STEP_LINE, -1, 27, {E, E, S(LB__R_STEP), B, 0}},       /* 47 */
    {LB__T_TAG_LINE,
     0,
     31,
     {E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 47 */
    {LB__T_TAG_LINE,
     -1,
     22,
     {E,
      E,
      E,
      E,
      S(LB__R_RULE),
      S(LB__R_RULE_HEADER),
      S(LB__R_TAGS),
      B,
      0}}, /* 47 */
    {LB__T_SCENARIO_LINE,
     -1,
     32,
     {E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_SCENARIO), B, 0}}, /* 47 */
    {LB__T_RULE_LINE,
     -1,
     23,
     {E, E, E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), B, 0}}, /* 47 */
    {LB__T_COMMENT, -1, 47, {B, 0}},                           /* 47 */
    {LB__T_EMPTY, -1, 47, {B, 0}},                             /* 47 */
    {LB__T_EOF, -1, 42, {E, E, E, E, E, B, 0}},                /* 48 */
    {LB__T_TABLE_ROW, -1, 48, {B, 0}},                         /* 48 */
    {LB__T_STEP_LINE, -1, 27, {E, E, S(LB__R_STEP), B, 0}},    /* 48 */
    {LB__T_TAG_LINE,
     0,
     31,
     {E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 48 */
    {LB__T_TAG_LINE,
     -1,
     22,
     {E,
      E,
      E,
      E,
      S(LB__R_RULE),
      S(LB__R_RULE_HEADER),
      S(LB__R_TAGS),
      B,
      0}}, /* 48 */
    {LB__T_SCENARIO_LINE,
     -1,
     32,
     {E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_SCENARIO), B, 0}}, /* 48 */
    {LB__T_RULE_LINE,
     -1,
     23,
     {E, E, E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), B, 0}}, /* 48 */
    {LB__T_COMMENT, -1, 48, {B, 0}},                           /* 48 */
    {LB__T_EMPTY, -1, 48, {B, 0}},                             /* 48 */
    {LB__T_DOC_STRING_SEPARATOR, -1, 50, {B, 0}},              /* 49 */
    {LB__T_OTHER, -1, 49, {B, 0}},                             /* 49 */
    {LB__T_EOF, -1, 42, {E, E, E, E, E, B, 0}},                /* 50 */
    {LB__T_TABLE_ROW, -1, 51, {E, S(LB__R_DATA_TABLE), B, 0}}, /* 50 */
    {LB__T_STEP_LINE, -1, 14, {E, E, S(LB__R_STEP), B, 0}},    /* 50 */
    {LB__T_TAG_LINE,
     1,
     18,
     {E, E, S(LB__R_EXAMPLES_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 50 */
    {LB__T_TAG_LINE,
     0,
     11,
     {E, E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 50 */
    {LB__T_TAG_LINE,
     -1,
     22,
     {E,
      E,
      E,
      E,
      S(LB__R_RULE),
      S(LB__R_RULE_HEADER),
      S(LB__R_TAGS),
      B,
      0}}, /* 50 */
    {LB__T_EXAMPLES_LINE,
     -1,
     19,
     {E, E, S(LB__R_EXAMPLES_DEFINITION), S(LB__R_EXAMPLES), B, 0}}, /* 50 */
    {LB__T_SCENARIO_LINE,
     -1,
     12,
     {E, E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_SCENARIO), B, 0}}, /* 50
                                                                            */
    {LB__T_RULE_LINE,
     -1,
     23,
     {E, E, E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), B, 0}}, /* 50 */
    {LB__T_COMMENT, -1, 50, {B, 0}},                           /* 50 */
    {LB__T_EMPTY, -1, 50, {B, 0}},                             /* 50 */
    {LB__T_EOF, -1, 42, {E, E, E, E, E, B, 0}},                /* 51 */
    {LB__T_TABLE_ROW, -1, 51, {B, 0}},                         /* 51 */
    {LB__T_STEP_LINE, -1, 14, {E, E, S(LB__R_STEP), B, 0}},    /* 51 */
    {LB__T_TAG_LINE,
     1,
     18,
     {E, E, S(LB__R_EXAMPLES_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 51 */
    {LB__T_TAG_LINE,
     0,
     11,
     {E, E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 51 */
    {LB__T_TAG_LINE,
     -1,
     22,
     {E,
      E,
      E,
      E,
      S(LB__R_RULE),
      S(LB__R_RULE_HEADER),
      S(LB__R_TAGS),
      B,
      0}}, /* 51 */
    {LB__T_EXAMPLES_LINE,
     -1,
     19,
     {E, E, S(LB__R_EXAMPLES_DEFINITION), S(LB__R_EXAMPLES), B, 0}}, /* 51 */
    {LB__T_SCENARIO_LINE,
     -1,
     12,
     {E, E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_SCENARIO), B, 0}}, /* 51
                                                                            */
    {LB__T_RULE_LINE,
     -1,
     23,
     {E, E, E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), B, 0}}, /* 51 */
    {LB__T_COMMENT, -1, 51, {B, 0}},                           /* 51 */
    {LB__T_EMPTY, -1, 51, {B, 0}},                             /* 51 */
    {LB__T_DOC_STRING_SEPARATOR, -1, 53, {B, 0}},              /* 52 */
    {LB__T_OTHER, -1, 52, {B, 0}},                             /* 52 */
    {LB__T_EOF, -1, 42, {E, E, E, E, B, 0}},                   /* 53 */
    {LB__T_TABLE_ROW, -1, 54, {E, S(LB__R_DATA_TABLE), B, 0}}, /* 53 */
    {LB__T_STEP_LINE, -1, 7, {E, E, S(LB__R_STEP), B, 0}},     /* 53 */
    {LB__T_TAG_LINE,
     0,
     11,
     {E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 53 */
    {LB__T_TAG_LINE,
     -1,
     22,
     {E, E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), S(LB__R_TAGS), B, 0}}, /* 53
                                                                            */
    {LB__T_SCENARIO_LINE,
     -1,
     12,
     {E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_SCENARIO), B, 0}}, /* 53 */
    {LB__T_RULE_LINE,
     -1,
     23,
     {E, E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), B, 0}}, /* 53 */
    {LB__T_COMMENT, -1, 53, {B, 0}},                        /* 53 */
    {LB__T_EMPTY, -1, 53, {B, 0}},                          /* 53 */
    {LB__T_EOF, -1, 42, {E, E, E, E, B, 0}},                /* 54 */
    {LB__T_TABLE_ROW, -1, 54, {B, 0}},                      /* 54 */
    {LB__T_STEP_LINE, -1, 7, {E, E, S(LB__R_STEP), B, 0}},  /* 54 */
    {LB__T_TAG_LINE,
     0,
     11,
     {E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_TAGS), B, 0}}, /* 54 */
    {LB__T_TAG_LINE,
     -1,
     22,
     {E, E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), S(LB__R_TAGS), B, 0}}, /* 54
                                                                            */
    {LB__T_SCENARIO_LINE,
     -1,
     12,
     {E, E, E, S(LB__R_SCENARIO_DEFINITION), S(LB__R_SCENARIO), B, 0}}, /* 54 */
    {LB__T_RULE_LINE,
     -1,
     23,
     {E, E, E, S(LB__R_RULE), S(LB__R_RULE_HEADER), B, 0}}, /* 54 */
    {LB__T_COMMENT, -1, 54, {B, 0}},                        /* 54 */
    {LB__T_EMPTY, -1, 54, {B, 0}},                          /* 54 */
};

const struct lb__gh_state lb__gh_states[] = {
    {0,
     6,
     "#EOF, #Language, #TagLine, #FeatureLine, #Comment, #Empty"}, /* 0 Start */
    {6,
     4,
     "#TagLine, #FeatureLine, #Comment, #Empty"}, /* 1
                                                     GherkinDocument:0>Feature:0>FeatureHeader:0>#Language:0
                                                   */
    {10,
     4,
     "#TagLine, #FeatureLine, #Comment, #Empty"}, /* 2
                                                     GherkinDocument:0>Feature:0>FeatureHeader:1>Tags:0>#TagLine:0
                                                   */
    {14,
     9,
     "#EOF, #Empty, #Comment, #BackgroundLine, #TagLine, #ScenarioLine, "
     "#RuleLine, #Other"}, /* 3
                              GherkinDocument:0>Feature:0>FeatureHeader:2>#FeatureLine:0
                            */
    {23,
     8,
     "#EOF, #Comment, #BackgroundLine, #TagLine, #ScenarioLine, #RuleLine, "
     "#Other"}, /* 4
                   GherkinDocument:0>Feature:0>FeatureHeader:3>DescriptionHelper:1>Description:0>__alt1:0>#Other:0
                 */
    {31,
     9,
     "#EOF, #Empty, #Comment, #StepLine, #TagLine, #ScenarioLine, #RuleLine, "
     "#Other"}, /* 5 GherkinDocument:0>Feature:1>Background:0>#BackgroundLine:0
                 */
    {40,
     8,
     "#EOF, #Comment, #StepLine, #TagLine, #ScenarioLine, #RuleLine, "
     "#Other"}, /* 6
                   GherkinDocument:0>Feature:1>Background:1>DescriptionHelper:1>Description:0>__alt1:0>#Other:0
                 */
    {48,
     10,
     "#EOF, #TableRow, #DocStringSeparator, #StepLine, #TagLine, "
     "#ScenarioLine, #RuleLine, #Comment, #Empty"}, /* 7
                                                       GherkinDocument:0>Feature:1>Background:2>Step:0>#StepLine:0
                                                     */
    {58,
     10,
     "#EOF, #TableRow, #DocStringSeparator, #StepLine, #TagLine, "
     "#ScenarioLine, #RuleLine, #Comment, #Empty"}, /* 8
                                                       GherkinDocument:0>Feature:1>Background:2>Step:1>StepArg:0>__alt0:0>DataTableAndMaybeDocString:0>DataTable:0>#TableRow:0
                                                     */
    {68,
     2,
     "#DocStringSeparator, #Other"}, /* 9
                                        GherkinDocument:0>Feature:1>Background:2>Step:1>StepArg:0>__alt0:0>DataTableAndMaybeDocString:1>DocString:0>#DocStringSeparator:0
                                      */
    {70,
     8,
     "#EOF, #StepLine, #TagLine, #ScenarioLine, #RuleLine, #Comment, "
     "#Empty"}, /* 10
                   GherkinDocument:0>Feature:1>Background:2>Step:1>StepArg:0>__alt0:0>DataTableAndMaybeDocString:1>DocString:2>#DocStringSeparator:0
                 */
    {78,
     4,
     "#TagLine, #ScenarioLine, #Comment, #Empty"}, /* 11
                                                      GherkinDocument:0>Feature:2>ScenarioDefinition:0>Tags:0>#TagLine:0
                                                    */
    {82,
     11,
     "#EOF, #Empty, #Comment, #StepLine, #TagLine, #ExamplesLine, "
     "#ScenarioLine, #RuleLine, #Other"}, /* 12
                                             GherkinDocument:0>Feature:2>ScenarioDefinition:1>Scenario:0>#ScenarioLine:0
                                           */
    {93,
     10,
     "#EOF, #Comment, #StepLine, #TagLine, #ExamplesLine, #ScenarioLine, "
     "#RuleLine, #Other"}, /* 13
                              GherkinDocument:0>Feature:2>ScenarioDefinition:1>Scenario:1>DescriptionHelper:1>Description:0>__alt1:0>#Other:0
                            */
    {103,
     12,
     "#EOF, #TableRow, #DocStringSeparator, #StepLine, #TagLine, "
     "#ExamplesLine, #ScenarioLine, #RuleLine, #Comment, #Empty"}, /* 14
                                                                      GherkinDocument:0>Feature:2>ScenarioDefinition:1>Scenario:2>Step:0>#StepLine:0
                                                                    */
    {115,
     12,
     "#EOF, #TableRow, #DocStringSeparator, #StepLine, #TagLine, "
     "#ExamplesLine, #ScenarioLine, #RuleLine, #Comment, #Empty"}, /* 15
                                                                      GherkinDocument:0>Feature:2>ScenarioDefinition:1>Scenario:2>Step:1>StepArg:0>__alt0:0>DataTableAndMaybeDocString:0>DataTable:0>#TableRow:0
                                                                    */
    {127,
     2,
     "#DocStringSeparator, #Other"}, /* 16
                                        GherkinDocument:0>Feature:2>ScenarioDefinition:1>Scenario:2>Step:1>StepArg:0>__alt0:0>DataTableAndMaybeDocString:1>DocString:0>#DocStringSeparator:0
                                      */
    {129,
     10,
     "#EOF, #StepLine, #TagLine, #ExamplesLine, #ScenarioLine, #RuleLine, "
     "#Comment, #Empty"}, /* 17
                             GherkinDocument:0>Feature:2>ScenarioDefinition:1>Scenario:2>Step:1>StepArg:0>__alt0:0>DataTableAndMaybeDocString:1>DocString:2>#DocStringSeparator:0
                           */
    {139,
     4,
     "#TagLine, #ExamplesLine, #Comment, #Empty"}, /* 18
                                                      GherkinDocument:0>Feature:2>ScenarioDefinition:1>Scenario:3>ExamplesDefinition:0>Tags:0>#TagLine:0
                                                    */
    {143,
     11,
     "#EOF, #Empty, #Comment, #TableRow, #TagLine, #ExamplesLine, "
     "#ScenarioLine, #RuleLine, #Other"}, /* 19
                                             GherkinDocument:0>Feature:2>ScenarioDefinition:1>Scenario:3>ExamplesDefinition:1>Examples:0>#ExamplesLine:0
                                           */
    {154,
     10,
     "#EOF, #Comment, #TableRow, #TagLine, #ExamplesLine, #ScenarioLine, "
     "#RuleLine, #Other"}, /* 20
                              GherkinDocument:0>Feature:2>ScenarioDefinition:1>Scenario:3>ExamplesDefinition:1>Examples:1>DescriptionHelper:1>Description:0>__alt1:0>#Other:0
                            */
    {164,
     10,
     "#EOF, #TableRow, #TagLine, #ExamplesLine, #ScenarioLine, #RuleLine, "
     "#Comment, #Empty"}, /* 21
                             GherkinDocument:0>Feature:2>ScenarioDefinition:1>Scenario:3>ExamplesDefinition:1>Examples:2>ExamplesTable:0>#TableRow:0
                           */
    {174,
     4,
     "#TagLine, #RuleLine, #Comment, #Empty"}, /* 22
                                                  GherkinDocument:0>Feature:3>Rule:0>RuleHeader:0>Tags:0>#TagLine:0
                                                */
    {178,
     9,
     "#EOF, #Empty, #Comment, #BackgroundLine, #TagLine, #ScenarioLine, "
     "#RuleLine, #Other"}, /* 23
                              GherkinDocument:0>Feature:3>Rule:0>RuleHeader:1>#RuleLine:0
                            */
    {187,
     8,
     "#EOF, #Comment, #BackgroundLine, #TagLine, #ScenarioLine, #RuleLine, "
     "#Other"}, /* 24
                   GherkinDocument:0>Feature:3>Rule:0>RuleHeader:2>DescriptionHelper:1>Description:0>__alt1:0>#Other:0
                 */
    {195,
     9,
     "#EOF, #Empty, #Comment, #StepLine, #TagLine, #ScenarioLine, #RuleLine, "
     "#Other"}, /* 25
                   GherkinDocument:0>Feature:3>Rule:1>Background:0>#BackgroundLine:0
                 */
    {204,
     8,
     "#EOF, #Comment, #StepLine, #TagLine, #ScenarioLine, #RuleLine, "
     "#Other"}, /* 26
                   GherkinDocument:0>Feature:3>Rule:1>Background:1>DescriptionHelper:1>Description:0>__alt1:0>#Other:0
                 */
    {212,
     10,
     "#EOF, #TableRow, #DocStringSeparator, #StepLine, #TagLine, "
     "#ScenarioLine, #RuleLine, #Comment, #Empty"}, /* 27
                                                       GherkinDocument:0>Feature:3>Rule:1>Background:2>Step:0>#StepLine:0
                                                     */
    {222,
     10,
     "#EOF, #TableRow, #DocStringSeparator, #StepLine, #TagLine, "
     "#ScenarioLine, #RuleLine, #Comment, #Empty"}, /* 28
                                                       GherkinDocument:0>Feature:3>Rule:1>Background:2>Step:1>StepArg:0>__alt0:0>DataTableAndMaybeDocString:0>DataTable:0>#TableRow:0
                                                     */
    {232,
     2,
     "#DocStringSeparator, #Other"}, /* 29
                                        GherkinDocument:0>Feature:3>Rule:1>Background:2>Step:1>StepArg:0>__alt0:0>DataTableAndMaybeDocString:1>DocString:0>#DocStringSeparator:0
                                      */
    {234,
     8,
     "#EOF, #StepLine, #TagLine, #ScenarioLine, #RuleLine, #Comment, "
     "#Empty"}, /* 30
                   GherkinDocument:0>Feature:3>Rule:1>Background:2>Step:1>StepArg:0>__alt0:0>DataTableAndMaybeDocString:1>DocString:2>#DocStringSeparator:0
                 */
    {242,
     4,
     "#TagLine, #ScenarioLine, #Comment, #Empty"}, /* 31
                                                      GherkinDocument:0>Feature:3>Rule:2>ScenarioDefinition:0>Tags:0>#TagLine:0
                                                    */
    {246,
     11,
     "#EOF, #Empty, #Comment, #StepLine, #TagLine, #ExamplesLine, "
     "#ScenarioLine, #RuleLine, #Other"}, /* 32
                                             GherkinDocument:0>Feature:3>Rule:2>ScenarioDefinition:1>Scenario:0>#ScenarioLine:0
                                           */
    {257,
     10,
     "#EOF, #Comment, #StepLine, #TagLine, #ExamplesLine, #ScenarioLine, "
     "#RuleLine, #Other"}, /* 33
                              GherkinDocument:0>Feature:3>Rule:2>ScenarioDefinition:1>Scenario:1>DescriptionHelper:1>Description:0>__alt1:0>#Other:0
                            */
    {267,
     12,
     "#EOF, #TableRow, #DocStringSeparator, #StepLine, #TagLine, "
     "#ExamplesLine, #ScenarioLine, #RuleLine, #Comment, #Empty"}, /* 34
                                                                      GherkinDocument:0>Feature:3>Rule:2>ScenarioDefinition:1>Scenario:2>Step:0>#StepLine:0
                                                                    */
    {279,
     12,
     "#EOF, #TableRow, #DocStringSeparator, #StepLine, #TagLine, "
     "#ExamplesLine, #ScenarioLine, #RuleLine, #Comment, #Empty"}, /* 35
                                                                      GherkinDocument:0>Feature:3>Rule:2>ScenarioDefinition:1>Scenario:2>Step:1>StepArg:0>__alt0:0>DataTableAndMaybeDocString:0>DataTable:0>#TableRow:0
                                                                    */
    {291,
     2,
     "#DocStringSeparator, #Other"}, /* 36
                                        GherkinDocument:0>Feature:3>Rule:2>ScenarioDefinition:1>Scenario:2>Step:1>StepArg:0>__alt0:0>DataTableAndMaybeDocString:1>DocString:0>#DocStringSeparator:0
                                      */
    {293,
     10,
     "#EOF, #StepLine, #TagLine, #ExamplesLine, #ScenarioLine, #RuleLine, "
     "#Comment, #Empty"}, /* 37
                             GherkinDocument:0>Feature:3>Rule:2>ScenarioDefinition:1>Scenario:2>Step:1>StepArg:0>__alt0:0>DataTableAndMaybeDocString:1>DocString:2>#DocStringSeparator:0
                           */
    {303,
     4,
     "#TagLine, #ExamplesLine, #Comment, #Empty"}, /* 38
                                                      GherkinDocument:0>Feature:3>Rule:2>ScenarioDefinition:1>Scenario:3>ExamplesDefinition:0>Tags:0>#TagLine:0
                                                    */
    {307,
     11,
     "#EOF, #Empty, #Comment, #TableRow, #TagLine, #ExamplesLine, "
     "#ScenarioLine, #RuleLine, #Other"}, /* 39
                                             GherkinDocument:0>Feature:3>Rule:2>ScenarioDefinition:1>Scenario:3>ExamplesDefinition:1>Examples:0>#ExamplesLine:0
                                           */
    {318,
     10,
     "#EOF, #Comment, #TableRow, #TagLine, #ExamplesLine, #ScenarioLine, "
     "#RuleLine, #Other"}, /* 40
                              GherkinDocument:0>Feature:3>Rule:2>ScenarioDefinition:1>Scenario:3>ExamplesDefinition:1>Examples:1>DescriptionHelper:1>Description:0>__alt1:0>#Other:0
                            */
    {328,
     10,
     "#EOF, #TableRow, #TagLine, #ExamplesLine, #ScenarioLine, #RuleLine, "
     "#Comment, #Empty"}, /* 41
                             GherkinDocument:0>Feature:3>Rule:2>ScenarioDefinition:1>Scenario:3>ExamplesDefinition:1>Examples:2>ExamplesTable:0>#TableRow:0
                           */
    {338, 0, NULL},       /* 42 end */
    {338,
     2,
     "#DocStringSeparator, #Other"}, /* 43
                                        GherkinDocument:0>Feature:3>Rule:2>ScenarioDefinition:1>Scenario:2>Step:1>StepArg:0>__alt0:1>DocStringAndMaybeDataTable:0>DocString:0>#DocStringSeparator:0
                                      */
    {340,
     11,
     "#EOF, #TableRow, #StepLine, #TagLine, #ExamplesLine, #ScenarioLine, "
     "#RuleLine, #Comment, #Empty"}, /* 44
                                        GherkinDocument:0>Feature:3>Rule:2>ScenarioDefinition:1>Scenario:2>Step:1>StepArg:0>__alt0:1>DocStringAndMaybeDataTable:0>DocString:2>#DocStringSeparator:0
                                      */
    {351,
     11,
     "#EOF, #TableRow, #StepLine, #TagLine, #ExamplesLine, #ScenarioLine, "
     "#RuleLine, #Comment, #Empty"}, /* 45
                                        GherkinDocument:0>Feature:3>Rule:2>ScenarioDefinition:1>Scenario:2>Step:1>StepArg:0>__alt0:1>DocStringAndMaybeDataTable:1>DataTable:0>#TableRow:0
                                      */
    {362,
     2,
     "#DocStringSeparator, #Other"}, /* 46
                                        GherkinDocument:0>Feature:3>Rule:1>Background:2>Step:1>StepArg:0>__alt0:1>DocStringAndMaybeDataTable:0>DocString:0>#DocStringSeparator:0
                                      */
    {364,
     9,
     "#EOF, #TableRow, #StepLine, #TagLine, #ScenarioLine, #RuleLine, "
     "#Comment, #Empty"}, /* 47
                             GherkinDocument:0>Feature:3>Rule:1>Background:2>Step:1>StepArg:0>__alt0:1>DocStringAndMaybeDataTable:0>DocString:2>#DocStringSeparator:0
                           */
    {373,
     9,
     "#EOF, #TableRow, #StepLine, #TagLine, #ScenarioLine, #RuleLine, "
     "#Comment, #Empty"}, /* 48
                             GherkinDocument:0>Feature:3>Rule:1>Background:2>Step:1>StepArg:0>__alt0:1>DocStringAndMaybeDataTable:1>DataTable:0>#TableRow:0
                           */
    {382,
     2,
     "#DocStringSeparator, #Other"}, /* 49
                                        GherkinDocument:0>Feature:2>ScenarioDefinition:1>Scenario:2>Step:1>StepArg:0>__alt0:1>DocStringAndMaybeDataTable:0>DocString:0>#DocStringSeparator:0
                                      */
    {384,
     11,
     "#EOF, #TableRow, #StepLine, #TagLine, #ExamplesLine, #ScenarioLine, "
     "#RuleLine, #Comment, #Empty"}, /* 50
                                        GherkinDocument:0>Feature:2>ScenarioDefinition:1>Scenario:2>Step:1>StepArg:0>__alt0:1>DocStringAndMaybeDataTable:0>DocString:2>#DocStringSeparator:0
                                      */
    {395,
     11,
     "#EOF, #TableRow, #StepLine, #TagLine, #ExamplesLine, #ScenarioLine, "
     "#RuleLine, #Comment, #Empty"}, /* 51
                                        GherkinDocument:0>Feature:2>ScenarioDefinition:1>Scenario:2>Step:1>StepArg:0>__alt0:1>DocStringAndMaybeDataTable:1>DataTable:0>#TableRow:0
                                      */
    {406,
     2,
     "#DocStringSeparator, #Other"}, /* 52
                                        GherkinDocument:0>Feature:1>Background:2>Step:1>StepArg:0>__alt0:1>DocStringAndMaybeDataTable:0>DocString:0>#DocStringSeparator:0
                                      */
    {408,
     9,
     "#EOF, #TableRow, #StepLine, #TagLine, #ScenarioLine, #RuleLine, "
     "#Comment, #Empty"}, /* 53
                             GherkinDocument:0>Feature:1>Background:2>Step:1>StepArg:0>__alt0:1>DocStringAndMaybeDataTable:0>DocString:2>#DocStringSeparator:0
                           */
    {417,
     9,
     "#EOF, #TableRow, #StepLine, #TagLine, #ScenarioLine, #RuleLine, "
     "#Comment, #Empty"}, /* 54
                             GherkinDocument:0>Feature:1>Background:2>Step:1>StepArg:0>__alt0:1>DocStringAndMaybeDataTable:1>DataTable:0>#TableRow:0
                           */
};

const size_t lb__gh_n_states = sizeof(lb__gh_states) / sizeof(lb__gh_states[0]);

uint8_t lb__gh_first_of[LB__GH_N_STATES][LB__T_COUNT];
uint16_t lb__gh_state_types[LB__GH_N_STATES];

/*
 * Filled once when the program (or the library) is loaded, before any
 * thread can parse: the table above is constant.
 */
__attribute__((constructor)) static void index_transitions(void)
{
    size_t s;

    LB_ASSERT(lb__gh_n_states == LB__GH_N_STATES);
    for (s = 0; s < LB__GH_N_STATES; s++) {
        size_t i;

        memset(lb__gh_first_of[s], 0xFF, sizeof(lb__gh_first_of[s]));
        for (i = lb__gh_states[s].count; i-- > 0;) {
            const struct lb__gh_transition *tr =
                &lb__gh_transitions[lb__gh_states[s].first + i];

            const uint16_t *op = tr->ops;

            /* the parser's run loop relies on this form: E* S* B */
            while (*op == LB__OP_END)
                op++;
            while ((*op & 0xFF) == LB__OP_START)
                op++;
            LB_ASSERT(op[0] == LB__OP_BUILD && op[1] == 0);
            lb__gh_first_of[s][tr->token] = (uint8_t)i;
            lb__gh_state_types[s] |= (uint16_t)(1u << tr->token);
        }
    }
}
