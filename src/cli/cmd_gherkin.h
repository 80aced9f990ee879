/*
 * `logos-bdd gherkin`: prints what the parser makes of feature files, in the
 * official formats (NDJSON envelopes or tokens), for differential testing.
 */
#ifndef LB_CLI_CMD_GHERKIN_H
#define LB_CLI_CMD_GHERKIN_H

/*
 * Runs the sub-command; argv[0] is "gherkin". Returns the exit code: 0, 1 on
 * a parse error, 2 on a usage error or an unreadable file.
 */
int lb_cmd_gherkin(int argc, char **argv);

#endif
