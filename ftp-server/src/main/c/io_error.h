/* The IOException both parts of the native library throw: what failed, and the system's reason. */
#ifndef FTPNATIVE_IO_ERROR_H
#define FTPNATIVE_IO_ERROR_H

#include <jni.h>
#include <stdio.h>
#include <string.h>

static inline void throw_io(JNIEnv *env, const char *what, int error) {
  jclass type = (*env)->FindClass(env, "java/io/IOException");
  if (type != NULL) {
    char message[160];
    snprintf(message, sizeof message, "%s: %s", what, strerror(error));
    (*env)->ThrowNew(env, type, message);
  }
}

#endif
