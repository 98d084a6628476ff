/* Placeholder until plot/compare/sweep land (issue 6): they refuse. */
#include "sim/cli.h"
#include "sim/util.h"

int cmd_plot(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	user_error("plot: not built yet");
}

int cmd_compare(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	user_error("compare: not built yet");
}

int cmd_sweep(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	user_error("sweep: not built yet");
}
