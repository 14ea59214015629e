/* qisim play: a classroom game of an exercise file in the browser (src/play). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "qisim/io.h"
#include "qisim/play.h"
#include "qisim/worksheet.h"

static const char play_usage[] =
    "usage: qisim play EXERCISE [--port N] [--listen ADDR] [--groups N] [--seed N] [--out DIR]\n"
    "       qisim play EXERCISE --worksheet FILE\n"
    "\n"
    "Serves a turn-based game of EXERCISE (a Lua file calling exercise{}, e.g.\n"
    "scenarios/teaching/*.lua) to a browser and prints the addresses to open: one for the\n"
    "groups (with the join code) and one for the teacher (advance, pause, all groups).\n"
    "Each group chooses within the menu and budget; a turn is played when every group has\n"
    "chosen or the teacher plays it. At the end the game is saved as DIR/game.lua with its\n"
    "results; 'qisim run DIR/game.lua --seed N' replays it exactly. Ctrl-C stops the server.\n"
    "The page links the exercise's worksheet (EXERCISE with .md for .lua) as printable HTML.\n"
    "\n"
    "  --port N       TCP port (default 8080; 0: any free port)\n"
    "  --listen ADDR  IPv4 address to listen on (default 127.0.0.1, this machine only; give\n"
    "                 the classroom network's address of this machine to let devices join)\n"
    "  --groups N     groups, each with its own trust in one region (1 to 16, default 1)\n"
    "  --seed N       the game's seed (default 1): the same seed and choices give the same game\n"
    "  --out DIR      where the finished game is saved (default results/play-<exercise>)\n"
    "  --worksheet FILE  write the worksheet as a printable HTML page to FILE ('-': standard\n"
    "                 output) and exit, without serving\n";

/* qisim play EXERCISE --worksheet FILE: the page the server shows at /worksheet, with its
 * stylesheet inside, for printing before class. */
static int write_worksheet(const char *exercise, const char *file)
{
    qisim_err err;
    qisim_err_clear(&err);
    char *html = NULL;
    size_t len = 0;
    bool found = false;
    if (qisim_worksheet_for_exercise(exercise, true, &found, &html, &len, &err) != QISIM_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return CLI_FAILED;
    }
    if (!found) {
        fprintf(stderr, "qisim play: %s has no worksheet beside it (a .md file of the same name)\n", exercise);
        return CLI_FAILED;
    }
    int rc = CLI_OK;
    if (strcmp(file, "-") == 0) {
        if (fwrite(html, 1, len, stdout) != len || fflush(stdout) != 0) {
            fprintf(stderr, "qisim play: cannot write the worksheet to standard output\n");
            rc = CLI_FAILED;
        }
    } else {
        qisim_outfile f = {0};
        bool ok = qisim_outfile_open(&f, file, &err) == QISIM_OK;
        if (ok)
            fwrite(html, 1, len, f.fp); /* a failed write is caught by the commit */
        if (!ok || qisim_outfile_commit(&f, &err) != QISIM_OK) {
            qisim_outfile_abort(&f);
            fprintf(stderr, "%s\n", err.msg);
            rc = CLI_FAILED;
        }
    }
    free(html);
    return rc;
}

static void ready(void *ctx, const char *join_url, const char *teacher_url, const char *code)
{
    (void)ctx;
    printf("qisim play: groups open %s (join code %s)\n", join_url, code);
    printf("qisim play: teacher opens %s\n", teacher_url);
    fflush(stdout);
}

static void log_line(void *ctx, const char *line)
{
    (void)ctx;
    fprintf(stderr, "%s\n", line);
}

int cli_play(int argc, char **argv)
{
    qisim_play_options o = {.port = 8080, .groups = 1, .seed = 1, .ready = ready, .log = log_line};
    char out_dir[4096];
    const char *worksheet = NULL;
    enum { PORT = 256, LISTEN, GROUPS, SEED, OUT, WORKSHEET };
    static const struct option options[] = {
        {"help", no_argument, NULL, 'h'},
        {"port", required_argument, NULL, PORT},
        {"listen", required_argument, NULL, LISTEN},
        {"groups", required_argument, NULL, GROUPS},
        {"seed", required_argument, NULL, SEED},
        {"out", required_argument, NULL, OUT},
        {"worksheet", required_argument, NULL, WORKSHEET},
        {NULL, 0, NULL, 0}};
    optind = 0;
    for (int c; (c = cli_getopt(argc, argv, "play", options)) != -1;) {
        switch (c) {
        case 'h':
            fputs(play_usage, stdout);
            return CLI_OK;
        case PORT:
            if (!cli_parse_int(optarg, 0, 65535, &o.port)) {
                cli_usage_error("play", "--port needs a whole number from 0 to 65535");
                return CLI_USAGE;
            }
            break;
        case GROUPS:
            if (!cli_parse_int(optarg, 1, QISIM_MAX_GROUPS, &o.groups)) {
                cli_usage_error("play", "--groups needs a whole number from 1 to %d", (int)QISIM_MAX_GROUPS);
                return CLI_USAGE;
            }
            break;
        case SEED:
            if (!cli_parse_u64(optarg, &o.seed)) {
                cli_usage_error("play", "--seed needs a whole number from 0 to 2^64-1");
                return CLI_USAGE;
            }
            break;
        case LISTEN:
            if (!optarg[0]) {
                cli_usage_error("play", "--listen needs an IPv4 address");
                return CLI_USAGE;
            }
            o.listen = optarg;
            break;
        case OUT:
            if (!optarg[0]) {
                cli_usage_error("play", "--out needs a directory");
                return CLI_USAGE;
            }
            o.out_dir = optarg;
            break;
        case WORKSHEET:
            if (!optarg[0]) {
                cli_usage_error("play", "--worksheet needs a file ('-': standard output)");
                return CLI_USAGE;
            }
            worksheet = optarg;
            break;
        default: return CLI_USAGE; /* CLI_BAD_OPTION: already said */
        }
    }
    if (argc - optind > 1) {
        cli_usage_error("play", "one exercise at a time ('%s' and '%s')", argv[optind], argv[optind + 1]);
        return CLI_USAGE;
    }
    if (optind < argc)
        o.exercise_path = argv[optind];
    if (!o.exercise_path) {
        cli_usage_error("play", "which exercise? e.g. qisim play scenarios/teaching/training_coaching.lua");
        return CLI_USAGE;
    }
    if (worksheet)
        return write_worksheet(o.exercise_path, worksheet);
    if (!o.out_dir) {
        const char *slash = strrchr(o.exercise_path, '/');
        const char *base = slash ? slash + 1 : o.exercise_path;
        size_t n = strlen(base);
        if (n > 4 && strcmp(base + n - 4, ".lua") == 0)
            n -= 4;
        snprintf(out_dir, sizeof out_dir, "results/play-%.*s", (int)n, base);
        o.out_dir = out_dir;
    }
    qisim_err err;
    qisim_err_clear(&err);
    if (qisim_play_serve(&o, &err) != QISIM_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return CLI_FAILED;
    }
    return CLI_OK;
}
