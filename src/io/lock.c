/* One writer per output folder: an advisory lock on a file inside it, naming its holder. */
#include "qisim/io.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char lock_name[] = ".qisim-lock";

/* The pid written by the holder, or 0 while it has not written it yet (or wrote garbage). */
static long holder_pid(int fd)
{
    char text[32];
    ssize_t n = pread(fd, text, sizeof text - 1, 0);
    if (n <= 0)
        return 0;
    text[n] = '\0';
    char *end;
    long pid = strtol(text, &end, 10);
    return pid > 0 && (*end == '\n' || *end == '\0') ? pid : 0;
}

int qisim_dir_lock_take(qisim_dir_lock *l, const char *dir, qisim_err *err)
{
    memset(l, 0, sizeof *l);
    l->fd = -1;
    if (snprintf(l->dir, sizeof l->dir, "%s", dir) >= (int)sizeof l->dir ||
        snprintf(l->path, sizeof l->path, "%s/%s", dir, lock_name) >= (int)sizeof l->path)
        return qisim_err_set(err, QISIM_EINVAL, "output folder name too long: %.40s...", dir);
    struct stat st;
    l->made_dir = stat(dir, &st) != 0 && errno == ENOENT;
    /* The holder removes the lock file when it is done, so a file we opened may be unlinked
     * (or replaced) before our flock succeeds: then we hold a lock on a name nobody else will
     * see, and must try again on the file now under that name. */
    for (int attempt = 0; attempt < 100; attempt++) {
        int rc = qisim_make_dirs(dir, err);
        if (rc)
            return rc;
        int fd = open(l->path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
        if (fd < 0) {
            if (errno == ENOENT)
                continue; /* the folder was removed between the two calls */
            return qisim_err_set(err, QISIM_EIO, "cannot create the lock file %s: %s", l->path, strerror(errno));
        }
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            int saved = errno;
            long pid = 0;
            /* the holder writes its pid just after its flock succeeds: give it a moment */
            for (int wait = 0; saved == EWOULDBLOCK && wait < 50 && (pid = holder_pid(fd)) == 0; wait++)
                nanosleep(&(struct timespec){0, 1000000}, NULL);
            if (saved == ENOLCK || saved == ENOTSUP || saved == ENOSYS) {
                /* a file system without locks (NFS mounted nolock): refusing to write at all
                 * would help no one, so the folder goes unguarded (docs/security.md) */
                unlink(l->path);
                close(fd);
                return QISIM_OK;
            }
            close(fd);
            if (saved != EWOULDBLOCK)
                return qisim_err_set(err, QISIM_EIO, "cannot lock %s: %s", l->path, strerror(saved));
            if (pid > 0)
                return qisim_err_set(err, QISIM_EIO, "%s is in use by another qisim process (pid %ld)", dir, pid);
            return qisim_err_set(err, QISIM_EIO, "%s is in use by another qisim process", dir);
        }
        struct stat mine, named;
        if (fstat(fd, &mine) != 0 || stat(l->path, &named) != 0 || mine.st_ino != named.st_ino ||
            mine.st_dev != named.st_dev) {
            close(fd);
            continue;
        }
        char text[32];
        int len = snprintf(text, sizeof text, "%ld\n", (long)getpid());
        if (ftruncate(fd, 0) != 0 || pwrite(fd, text, (size_t)len, 0) != len) {
            int saved = errno;
            unlink(l->path);
            close(fd);
            return qisim_err_set(err, QISIM_EIO, "cannot write the lock file %s: %s", l->path, strerror(saved));
        }
        l->fd = fd;
        l->held = true;
        return QISIM_OK;
    }
    return qisim_err_set(err, QISIM_EIO, "cannot lock %s: it keeps being replaced", l->path);
}

void qisim_dir_lock_release(qisim_dir_lock *l, bool remove_dir)
{
    if (!l->held)
        return;
    /* Unlinked while still locked: whoever opened this file before now will see, once its
     * flock succeeds, that the name points elsewhere, and start again. */
    unlink(l->path);
    close(l->fd);
    l->held = false;
    l->fd = -1;
    if (remove_dir && l->made_dir)
        rmdir(l->dir); /* fails, harmlessly, when anything is in it */
}
