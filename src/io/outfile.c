/* Atomic output files: written under a temporary name, renamed into place only when complete. */
#include "qisim/io.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

/* "cannot write PATH: REASON", saying in words when the disk is full: the one cause of a failed
 * write that a user can always act on. */
static int write_failure(qisim_err *err, const char *path, int code)
{
    if (code == ENOSPC)
        return qisim_err_set(err, QISIM_EIO, "cannot write %s: the disk is full (%s)", path, strerror(code));
    return qisim_err_set(err, QISIM_EIO, "cannot write %s: %s", path, strerror(code));
}

/* stdio keeps only a flag for a write that failed, not its errno: when the file system has
 * (next to) no space left, that was the cause; otherwise EIO is the honest report. */
static int sticky_write_error(FILE *fp)
{
    struct statvfs vfs;
    if (fstatvfs(fileno(fp), &vfs) == 0 && (uint64_t)vfs.f_bavail * vfs.f_frsize < (uint64_t)1 << 20)
        return ENOSPC;
    return EIO;
}

static void outfile_forget(qisim_outfile *f)
{
    f->fp = NULL;
    f->tmp[0] = '\0';
}

int qisim_outfile_open(qisim_outfile *f, const char *path, qisim_err *err)
{
    /* Cleared first so that qisim_outfile_abort is harmless after a failed open. */
    f->path[0] = '\0';
    outfile_forget(f);

    size_t len = strlen(path);
    if (len == 0)
        return qisim_err_set(err, QISIM_EIO, "cannot write an output file with an empty name");
    if (len + sizeof ".tmp" > sizeof f->tmp)
        return qisim_err_set(err, QISIM_EIO, "cannot write %.200s...: %s", path, strerror(ENAMETOOLONG));
    memcpy(f->path, path, len + 1);
    memcpy(f->tmp, path, len);
    memcpy(f->tmp + len, ".tmp", sizeof ".tmp");

    /* Binary mode, so the bytes on disk (and hence their hashes) do not depend on the platform. */
    f->fp = fopen(f->tmp, "wb");
    if (!f->fp) {
        int saved = errno;
        f->tmp[0] = '\0'; /* nothing of ours to remove */
        return write_failure(err, path, saved);
    }
    return QISIM_OK;
}

int qisim_outfile_check(qisim_outfile *f, qisim_err *err)
{
    if (f->fp && ferror(f->fp))
        return write_failure(err, f->path, sticky_write_error(f->fp));
    return QISIM_OK;
}

int qisim_outfile_commit(qisim_outfile *f, qisim_err *err)
{
    if (!f->fp)
        return qisim_err_set(err, QISIM_EIO, "cannot write %s: the file is not open", f->path);

    /* A write error may have happened long before; stdio keeps only the flag. */
    int failure = ferror(f->fp) ? sticky_write_error(f->fp) : 0;
    errno = 0;
    if (fflush(f->fp) != 0 && !failure)
        failure = errno ? errno : EIO;
    errno = 0;
    if (fclose(f->fp) != 0 && !failure)
        failure = errno ? errno : EIO;
    f->fp = NULL;

    if (!failure && rename(f->tmp, f->path) != 0)
        failure = errno ? errno : EIO;
    if (failure) {
        remove(f->tmp);
        outfile_forget(f);
        return write_failure(err, f->path, failure);
    }
    outfile_forget(f);
    return QISIM_OK;
}

void qisim_outfile_abort(qisim_outfile *f)
{
    if (f->fp)
        fclose(f->fp);
    if (f->tmp[0] != '\0')
        remove(f->tmp);
    outfile_forget(f);
}

int qisim_make_dirs(const char *dir, qisim_err *err)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path)
        return qisim_err_set(err, QISIM_EINVAL, "directory name too long: %.40s...", dir);
    for (char *p = path + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdir(path, 0777) != 0 && errno != EEXIST)
                return qisim_err_set(err, QISIM_EIO, "cannot create directory %s: %s", path, strerror(errno));
            *p = c;
            if (c == '\0')
                break;
        }
    }
    return QISIM_OK;
}
