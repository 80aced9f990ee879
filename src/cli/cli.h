/* Exit codes and sub-commands of the logos-bdd command line. */
#ifndef LB_CLI_CLI_H
#define LB_CLI_CLI_H

enum lb_exit_code {
    LB_EXIT_OK = 0,           /* every scenario passed */
    LB_EXIT_FAILED = 1,       /* a scenario failed, or undefined/ambiguous */
    LB_EXIT_USAGE = 2,        /* usage, config or parse error */
    LB_EXIT_INTERRUPTED = 130 /* stopped by Ctrl-C or SIGTERM */
};

#endif
