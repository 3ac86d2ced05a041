/*
 * A directory's names with the type each entry records (readdir's d_type), so that a listing of
 * names needs no stat per entry: the JDK's directory stream gives the names only. Asked for, each
 * entry's stat comes along, made relative to the open directory: no path is built per entry, and
 * the JDK's attributes give neither st_nlink nor the set-id and sticky bits. Used by
 * dev.ftpoperator.server.files.DirectoryEntries; part of the library NativeLibrary loads.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jni.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "io_error.h"

/* The type letter DirectoryEntries reads: d, f, l, o(ther), or ? when the file system does not say. */
static char type_of(unsigned char d_type) {
  switch (d_type) {
    case DT_DIR:
      return 'd';
    case DT_REG:
      return 'f';
    case DT_LNK:
      return 'l';
    case DT_UNKNOWN:
      return '?';
    default:
      return 'o';
  }
}

/* The six numbers each stat'ed entry carries, in this order, as native-order 64-bit integers. */
#define STAT_FIELDS 6

/*
 * The stat of entry name of the open directory fd, following a link (type 'l', with *letter set
 * so): 0, or -1 when the entry is gone or cannot be stat'ed, or a link leads nowhere.
 */
static int stat_entry(int fd, const char *name, unsigned char d_type, char *letter,
                      int64_t fields[STAT_FIELDS]) {
  struct stat status;
  if (d_type != DT_LNK && fstatat(fd, name, &status, AT_SYMLINK_NOFOLLOW) != 0) {
    return -1;
  }
  if (d_type == DT_LNK || S_ISLNK(status.st_mode)) {
    *letter = 'l';
    if (fstatat(fd, name, &status, 0) != 0) {
      return -1;
    }
  } else {
    *letter = S_ISDIR(status.st_mode) ? 'd' : S_ISREG(status.st_mode) ? 'f' : 'o';
  }
  fields[0] = (int64_t) status.st_mode;
  fields[1] = (int64_t) status.st_nlink;
  fields[2] = (int64_t) status.st_size;
  fields[3] = (int64_t) status.st_mtim.tv_sec * 1000 + status.st_mtim.tv_nsec / 1000000;
  fields[4] = (int64_t) status.st_uid;
  fields[5] = (int64_t) status.st_gid;
  return 0;
}

/* Whether the reservation covers bytes: false also when the call threw (the exception pending). */
static int covered(JNIEnv *env, jobject reservation, jmethodID cover, size_t bytes) {
  jboolean agreed = (*env)->CallBooleanMethod(env, reservation, cover, (jlong) bytes);
  return !(*env)->ExceptionCheck(env) && agreed;
}

/*
 * The entries of the directory at path (its bytes, no terminating NUL), "." and ".." left out, as
 * one array: for each entry its type letter, its name's bytes and a NUL. With stat, each entry's
 * mode, link count, size, modification time in milliseconds, owner and group follow its NUL, a
 * link's those of what it leads to; an entry that cannot be stat'ed (gone since readdir, or a link
 * that leads nowhere) is left out. The records' buffer only grows once reservation.cover(bytes) agrees (the
 * server's memory for listings): NULL, with no exception, when it does not.
 */
JNIEXPORT jbyteArray JNICALL Java_dev_ftpoperator_server_files_DirectoryEntries_read(
    JNIEnv *env, jclass type __attribute__((unused)), jbyteArray path, jboolean stat,
    jobject reservation) {
  jmethodID cover =
      (*env)->GetMethodID(env, (*env)->GetObjectClass(env, reservation), "cover", "(J)Z");
  if (cover == NULL) {
    return NULL; /* NoSuchMethodError pending */
  }
  jsize path_length = (*env)->GetArrayLength(env, path);
  char *name = malloc((size_t) path_length + 1);
  if (name == NULL) {
    throw_io(env, "directory entries", ENOMEM);
    return NULL;
  }
  (*env)->GetByteArrayRegion(env, path, 0, path_length, (jbyte *) name);
  name[path_length] = '\0';
  DIR *directory = opendir(name);
  free(name);
  if (directory == NULL) {
    throw_io(env, "opendir", errno);
    return NULL;
  }
  size_t capacity = 64 * 1024;
  size_t length = 0;
  if (!covered(env, reservation, cover, capacity)) {
    closedir(directory);
    return NULL;
  }
  char *entries = malloc(capacity);
  if (entries == NULL) {
    closedir(directory);
    throw_io(env, "directory entries", ENOMEM);
    return NULL;
  }
  for (;;) {
    errno = 0;
    struct dirent *entry = readdir(directory);
    if (entry == NULL) {
      break;
    }
    const char *entry_name = entry->d_name;
    if (entry_name[0] == '.' &&
        (entry_name[1] == '\0' || (entry_name[1] == '.' && entry_name[2] == '\0'))) {
      continue;
    }
    char letter = type_of(entry->d_type);
    int64_t fields[STAT_FIELDS];
    if (stat && stat_entry(dirfd(directory), entry_name, entry->d_type, &letter, fields) != 0) {
      continue;
    }
    size_t name_length = strlen(entry_name);
    size_t needed = name_length + 2 + (stat ? sizeof fields : 0);
    if (length + needed > capacity) {
      while (length + needed > capacity) {
        capacity *= 2;
      }
      if (!covered(env, reservation, cover, capacity)) {
        free(entries);
        closedir(directory);
        return NULL;
      }
      char *larger = capacity > INT32_MAX ? NULL : realloc(entries, capacity);
      if (larger == NULL) {
        free(entries);
        closedir(directory);
        throw_io(env, "directory entries", ENOMEM);
        return NULL;
      }
      entries = larger;
    }
    entries[length++] = letter;
    memcpy(entries + length, entry_name, name_length + 1);
    length += name_length + 1;
    if (stat) {
      memcpy(entries + length, fields, sizeof fields);
      length += sizeof fields;
    }
  }
  int error = errno;
  closedir(directory);
  if (error != 0) {
    free(entries);
    throw_io(env, "readdir", error);
    return NULL;
  }
  jbyteArray result = (*env)->NewByteArray(env, (jsize) length);
  if (result != NULL) {
    (*env)->SetByteArrayRegion(env, result, 0, (jsize) length, (jbyte *) entries);
  }
  free(entries);
  return result; /* NULL with OutOfMemoryError pending when the array could not be made */
}
