/*
 * splice(2) through a pipe, from a connected, blocking TCP socket to another socket (the relay) or
 * to a file (an upload): the kernel moves page references out of the socket's receive queue, and
 * the bytes never pass through user space (Java has no socket-to-socket or socket-to-file splice).
 * Used by dev.ftpoperator.server.data.KernelSplice; part of the library NativeLibrary loads.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <jni.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io_error.h"

/* The descriptor of a sun.nio.ch.SocketChannelImpl (JNI reads private fields across modules). */
static jint fd_of(JNIEnv *env, jobject channel) {
  jclass type = (*env)->GetObjectClass(env, channel);
  jfieldID field = (*env)->GetFieldID(env, type, "fdVal", "I");
  if (field == NULL) {
    return -1; /* NoSuchFieldError is pending */
  }
  return (*env)->GetIntField(env, channel, field);
}

/* The descriptor of a sun.nio.ch.FileChannelImpl, through its java.io.FileDescriptor. */
static jint file_fd_of(JNIEnv *env, jobject channel) {
  jclass type = (*env)->GetObjectClass(env, channel);
  jfieldID field = (*env)->GetFieldID(env, type, "fd", "Ljava/io/FileDescriptor;");
  if (field == NULL) {
    return -1; /* NoSuchFieldError is pending */
  }
  jobject descriptor = (*env)->GetObjectField(env, channel, field);
  if (descriptor == NULL) {
    return -1;
  }
  jfieldID value = (*env)->GetFieldID(env, (*env)->GetObjectClass(env, descriptor), "fd", "I");
  if (value == NULL) {
    return -1;
  }
  return (*env)->GetIntField(env, descriptor, value);
}

JNIEXPORT jint JNICALL Java_dev_ftpoperator_server_data_KernelSplice_descriptor(
    JNIEnv *env, jclass type __attribute__((unused)), jobject channel) {
  return fd_of(env, channel);
}

/* One splice(2), again when a signal interrupted it. */
static ssize_t splice_once(int from, int to, size_t length) {
  ssize_t moved;
  do {
    moved = splice(from, NULL, to, NULL, length, SPLICE_F_MOVE);
  } while (moved < 0 && errno == EINTR);
  return moved;
}

/* A pipe of about pipe_bytes (the default 64 KiB if the system's limit is lower: a bigger pipe only
 * means fewer calls); -1 with errno set when there is none. */
static int open_pipe(int pipe_fds[2], jint pipe_bytes) {
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    return -1;
  }
  fcntl(pipe_fds[1], F_SETPIPE_SZ, pipe_bytes);
  return 0;
}

/* Moves bytes until the source's end of stream; returns how many. A shutdown of either socket by
 * another thread ends a blocked call (end of stream, or EPIPE). */
JNIEXPORT jlong JNICALL Java_dev_ftpoperator_server_data_KernelSplice_splice(
    JNIEnv *env, jclass type __attribute__((unused)), jobject from_channel, jobject to_channel, jint pipe_bytes) {
  jint from = fd_of(env, from_channel);
  jint to = from < 0 ? -1 : fd_of(env, to_channel);
  if (to < 0) {
    return -1;
  }
  int pipe_fds[2];
  if (open_pipe(pipe_fds, pipe_bytes) != 0) {
    throw_io(env, "pipe", errno);
    return -1;
  }
  jlong total = 0;
  const char *failed = NULL;
  ssize_t in;
  while (failed == NULL && (in = splice_once(from, pipe_fds[1], (size_t) pipe_bytes)) != 0) {
    if (in < 0) {
      failed = "splice from socket";
    }
    while (failed == NULL && in > 0) {
      ssize_t out = splice_once(pipe_fds[0], to, (size_t) in);
      if (out < 0) {
        failed = "splice to socket";
      } else {
        in -= out;
        total += out;
      }
    }
  }
  int error = errno;
  close(pipe_fds[0]);
  close(pipe_fds[1]);
  if (failed != NULL) {
    throw_io(env, failed, error);
    return -1;
  }
  return total;
}

JNIEXPORT jint JNICALL Java_dev_ftpoperator_server_data_KernelSplice_fileDescriptor(
    JNIEnv *env, jclass type __attribute__((unused)), jobject channel) {
  return file_fd_of(env, channel);
}

/* An upload's own descriptors: duplicates of the socket's and the file's, so that a close of the
 * channels by another thread can never leave this code reading a descriptor number that was reused
 * meanwhile; a shutdown of the socket still ends a waiting splice. */
struct upload {
  int socket;
  int file;
  int pipe_read;
  int pipe_write;
  char *buffer; /* set once the file has refused a splice: the rest goes by read and write */
};

/* The buffer of an upload into a file that takes no splice. */
#define COPY_BYTES (256 * 1024)

static void close_upload(struct upload *upload) {
  int fds[] = {upload->socket, upload->file, upload->pipe_read, upload->pipe_write};
  for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++) {
    if (fds[i] >= 0) {
      close(fds[i]);
    }
  }
  free(upload->buffer);
  free(upload);
}

/* Writes all of it, again when a signal interrupted; -1 with errno set on an error. */
static int write_all(int fd, const char *bytes, size_t length) {
  while (length > 0) {
    ssize_t written = write(fd, bytes, length);
    if (written < 0 && errno == EINTR) {
      continue;
    }
    if (written < 0) {
      return -1;
    }
    bytes += written;
    length -= (size_t) written;
  }
  return 0;
}

/* Reads at most length bytes from one descriptor and writes them to another through the upload's
 * buffer; returns how many, 0 at end of stream, -1 with errno set on an error. */
static ssize_t copy_once(struct upload *upload, int from, size_t length) {
  ssize_t got;
  do {
    got = read(from, upload->buffer, length < COPY_BYTES ? length : COPY_BYTES);
  } while (got < 0 && errno == EINTR);
  if (got > 0 && write_all(upload->file, upload->buffer, (size_t) got) != 0) {
    return -1;
  }
  return got;
}

/* A handle for spliceToFile, 0 with an exception pending when it cannot be made. */
JNIEXPORT jlong JNICALL Java_dev_ftpoperator_server_data_KernelSplice_openUpload(
    JNIEnv *env, jclass type __attribute__((unused)), jobject from_channel, jobject to_channel,
    jint pipe_bytes) {
  jint from = fd_of(env, from_channel);
  jint to = from < 0 ? -1 : file_fd_of(env, to_channel);
  if (to < 0) {
    if (!(*env)->ExceptionCheck(env)) {
      throw_io(env, "splice upload: no descriptor", EBADF);
    }
    return 0;
  }
  struct upload *upload = malloc(sizeof *upload);
  if (upload == NULL) {
    throw_io(env, "splice upload", ENOMEM);
    return 0;
  }
  upload->file = upload->pipe_read = upload->pipe_write = -1;
  upload->buffer = NULL;
  upload->socket = fcntl(from, F_DUPFD_CLOEXEC, 0);
  if (upload->socket >= 0) {
    upload->file = fcntl(to, F_DUPFD_CLOEXEC, 0);
  }
  int pipe_fds[2];
  if (upload->file < 0 || open_pipe(pipe_fds, pipe_bytes) != 0) {
    int error = errno;
    close_upload(upload);
    throw_io(env, "splice upload", error);
    return 0;
  }
  upload->pipe_read = pipe_fds[0];
  upload->pipe_write = pipe_fds[1];
  return (jlong) (intptr_t) upload;
}

JNIEXPORT void JNICALL Java_dev_ftpoperator_server_data_KernelSplice_closeUpload(
    JNIEnv *env __attribute__((unused)), jclass type __attribute__((unused)), jlong handle) {
  close_upload((struct upload *) (intptr_t) handle);
}

/* Moves what the socket has, at most max bytes (it waits for the first), into the pipe and all of
 * it on into the file at the file's offset, leaving the pipe empty; returns how many, 0 at the
 * socket's end of stream. A shutdown of the socket by another thread ends a waiting call. A file
 * that refuses splice (EINVAL: open for appending, or a file system without it) gets what is in the
 * pipe and the rest of the upload by read and write instead. */
JNIEXPORT jlong JNICALL Java_dev_ftpoperator_server_data_KernelSplice_spliceToFile(
    JNIEnv *env, jclass type __attribute__((unused)), jlong handle, jint max) {
  struct upload *upload = (struct upload *) (intptr_t) handle;
  if (upload->buffer != NULL) {
    ssize_t copied = copy_once(upload, upload->socket, (size_t) max);
    if (copied < 0) {
      throw_io(env, "copy from socket to file", errno);
      return -1;
    }
    return copied;
  }
  ssize_t in = splice_once(upload->socket, upload->pipe_write, (size_t) max);
  if (in < 0) {
    throw_io(env, "splice from socket", errno);
    return -1;
  }
  for (ssize_t left = in; left > 0;) {
    ssize_t out = upload->buffer != NULL
                      ? copy_once(upload, upload->pipe_read, (size_t) left)
                      : splice_once(upload->pipe_read, upload->file, (size_t) left);
    if (out < 0 && errno == EINVAL && upload->buffer == NULL) {
      upload->buffer = malloc(COPY_BYTES);
      if (upload->buffer == NULL) {
        throw_io(env, "splice upload", ENOMEM);
        return -1;
      }
      continue; /* by read and write from now on */
    }
    if (out < 0) {
      throw_io(env, "write to file", errno);
      return -1;
    }
    left -= out;
  }
  return in;
}
