/*
 * The floor of reading a workload: libyaml's event parser over a file and
 * nothing else (no nodes, no checks, no simulation). scripts/bench-stream.sh
 * sets slabsim's end-to-end time of a streamed trace against it.
 *
 *   bench_yaml FILE    prints the number of parser events
 */
#include <stdio.h>
#include <yaml.h>

int main(int argc, char **argv)
{
	yaml_parser_t p;
	yaml_event_t ev;
	unsigned long long n = 0;
	FILE *f;
	int done = 0;

	if (argc != 2 || !(f = fopen(argv[1], "rb"))) {
		fprintf(stderr, "usage: bench_yaml FILE\n");
		return 2;
	}
	if (!yaml_parser_initialize(&p))
		return 1;
	yaml_parser_set_input_file(&p, f);
	while (!done) {
		if (!yaml_parser_parse(&p, &ev)) {
			fprintf(stderr, "bench_yaml: parse error\n");
			return 1;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
		n++;
	}
	yaml_parser_delete(&p);
	fclose(f);
	printf("%llu\n", n);
	return 0;
}
