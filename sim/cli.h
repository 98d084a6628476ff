#ifndef SLABSIM_SIM_CLI_H
#define SLABSIM_SIM_CLI_H
/*
 * Commands of the slabsim binary besides run and geometry (main.c). Each
 * takes argv with argv[0] the command name and returns the exit status;
 * user mistakes go through user_error() (exit 2).
 */
int cmd_plot(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_import(int argc, char **argv);	/* sim/cli/import.c */

/* gnuplot's path on $PATH (malloc'd), or NULL when it is not installed. */
char *find_gnuplot(void);

#endif /* SLABSIM_SIM_CLI_H */
