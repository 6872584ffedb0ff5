/* monotime.c: run a command and write its wall time, measured with
 * CLOCK_MONOTONIC, to a file. stdin, stdout and stderr are the command's own,
 * so redirections apply to it. Exits with the command's status, or 128+signal
 * if a signal killed it (so callers can tell a crash from a slow run).
 *
 * usage: monotime OUTFILE COMMAND [ARG...]
 * Build: gcc -O2 -o monotime monotime.c
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct timespec a, b;
	pid_t pid;
	int st;
	FILE *f;

	if (argc < 3) {
		fprintf(stderr, "usage: monotime OUTFILE COMMAND [ARG...]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	if ((pid = fork()) < 0) {
		perror("fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		;
	clock_gettime(CLOCK_MONOTONIC, &b);
	if (!(f = fopen(argv[1], "w"))) {
		perror(argv[1]);
		return 2;
	}
	fprintf(f, "%.6f\n", (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9);
	fclose(f);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}
