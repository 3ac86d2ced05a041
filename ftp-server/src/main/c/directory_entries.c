/*
 * A directory's names with the type each entry records (readdir's d_type), so that a listing of
 * names needs no stat per entry: the JDK's directory stream gives the names only. Used by
 * dev.ftpoperator.server.files.DirectoryEntries; part of the library NativeLibrary loads.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <jni.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/*
 * The entries of the directory at path (its bytes, no terminating NUL), "." and ".." left out, as
 * one array: for each entry its type letter, its name's bytes and a NUL.
 */
JNIEXPORT jbyteArray JNICALL Java_dev_ftpoperator_server_files_DirectoryEntries_read(
    JNIEnv *env, jclass type __attribute__((unused)), jbyteArray path) {
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
    size_t name_length = strlen(entry_name);
    if (length + name_length + 2 > capacity) {
      while (length + name_length + 2 > capacity) {
        capacity *= 2;
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
    entries[length++] = type_of(entry->d_type);
    memcpy(entries + length, entry_name, name_length + 1);
    length += name_length + 1;
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
