#!/usr/bin/env python3
"""Adds a class-data sharing archive to the FTP server's image tar (images.sh runs it; needs root).

  cds-archive.py <base image tar> <ftp-server image tar>

The archive must come from the image's own JRE and the exact class path the image runs, so it is
made by running the image itself: its layers are unpacked over the base root filesystem, the
entrypoint (`java -cp @/app/jib-classpath-file ...`, jars only: Jib's packaged mode) runs in a chroot
as the image's user with -XX:ArchiveClassesAtExit until it listens and served one login and listing,
then stops. The archive goes into a new layer (app/cds/ftp-server.jsa, Jib's file time) and the
entrypoint gets -XX:SharedArchiveFile. Before the tar is rewritten, the new entrypoint is run once
with -Xshare:on (fails if the archive does not map) and the time to listening with and without the
archive is printed (5 runs each, alternating). A JVM given an archive it cannot use runs without any sharing, so nothing is
written unless that check passes.
"""
import ftplib
import gzip
import hashlib
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import time

ARCHIVE = "/app/cds/ftp-server.jsa"
LISTENING = b"ftp server listening"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(root, config, java_flags, exercise):
    """Runs the entrypoint with java_flags in the chroot; ms until it listens; stops it."""
    entry = config["Entrypoint"]
    port, http, pasv = free_port(), free_port(), free_port()
    env = dict(e.split("=", 1) for e in config.get("Env", []))
    env.update(FTP_USERS_DIR="/tmp/cds/users", FTP_DATA_DIR="/tmp/cds/data", FTP_CONTROL_PORT=str(port),
               FTP_HTTP_PORT=str(http), FTP_PASSIVE_PORTS=f"{pasv}-{pasv}", FTP_BIND_ADDRESS="127.0.0.1",
               FTP_HTTP_BIND_ADDRESS="127.0.0.1", FTP_SHUTDOWN_GRACE_SECONDS="0")
    user = config.get("User") or "0"
    start = time.monotonic()
    proc = subprocess.Popen(["chroot", f"--userspec={user}:{user}", root, entry[0], *java_flags, *entry[1:]],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = []
    for line in proc.stdout:
        output.append(line)
        if LISTENING in line:
            break
    else:
        proc.wait()
        sys.exit("the server did not start:\n" + b"".join(output[-20:]).decode(errors="replace"))
    listening = (time.monotonic() - start) * 1000
    if exercise:
        with ftplib.FTP() as ftp:
            ftp.connect("127.0.0.1", port, timeout=30)
            ftp.login("cds", "cds")
            ftp.nlst()
    proc.terminate()
    output += proc.stdout.readlines()
    if proc.wait(60) not in (0, 143):
        sys.exit("the server failed:\n" + b"".join(output[-20:]).decode(errors="replace"))
    return listening


def main():
    base_tar, image_tar = sys.argv[1:3]
    work = tempfile.mkdtemp(prefix="cds-", dir=os.path.dirname(os.path.abspath(image_tar)))
    root = os.path.join(work, "root")
    try:
        with tarfile.open(base_tar) as base:
            for layer in json.load(base.extractfile("manifest.json"))[0]["Layers"]:
                with tarfile.open(fileobj=base.extractfile(layer)) as t:
                    t.extractall(root)
        with tarfile.open(image_tar) as image:
            manifest = json.load(image.extractfile("manifest.json"))
            config = json.load(image.extractfile(manifest[0]["Config"]))
            members = {m.name: image.extractfile(m).read() for m in image.getmembers() if m.isfile()}
        for layer in manifest[0]["Layers"][1:]:
            with tarfile.open(fileobj=io.BytesIO(members[layer])) as t:
                t.extractall(root)
        user = int(config["config"].get("User") or 0)
        for d in ("tmp/cds/users", "tmp/cds/data", "app/cds"):
            os.makedirs(os.path.join(root, d), exist_ok=True)
            os.chown(os.path.join(root, d), user, user)
        with open(os.path.join(root, "tmp/cds/users/cds"), "w") as f:
            f.write("cds\n")
        os.chmod(os.path.join(root, "tmp"), 0o1777)
        subprocess.run(["mount", "-t", "proc", "proc", os.path.join(root, "proc")], check=True)
        try:
            run(root, config["config"], [f"-XX:ArchiveClassesAtExit={ARCHIVE}"], exercise=True)
            jsa = os.path.join(root, ARCHIVE.lstrip("/"))
            if not os.path.exists(jsa):
                sys.exit("the JVM wrote no archive")
            with_archive = ["-Xshare:on", f"-XX:SharedArchiveFile={ARCHIVE}"]
            times = {"without": [], "with": []}
            for _ in range(5):
                times["without"].append(run(root, config["config"], [], exercise=False))
                times["with"].append(run(root, config["config"], with_archive, exercise=False))
        finally:
            subprocess.run(["umount", os.path.join(root, "proc")], check=False)
        with open(jsa, "rb") as f:
            data = f.read()

        layer = io.BytesIO()
        with tarfile.open(fileobj=layer, mode="w", format=tarfile.PAX_FORMAT) as t:
            for d in ("app", "app/cds"):
                info = tarfile.TarInfo(d)
                info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, 1
                t.addfile(info)
            info = tarfile.TarInfo(ARCHIVE.lstrip("/"))
            info.size, info.mode, info.mtime = len(data), 0o644, 1
            t.addfile(info, io.BytesIO(data))
        layer_bytes = layer.getvalue()
        digest = hashlib.sha256(layer_bytes).hexdigest()
        compressed = gzip.compress(layer_bytes, mtime=0)
        entry = config["config"]["Entrypoint"]
        config["config"]["Entrypoint"] = [entry[0], f"-XX:SharedArchiveFile={ARCHIVE}", *entry[1:]]
        config["rootfs"]["diff_ids"].append(f"sha256:{digest}")
        config.setdefault("history", []).append({"created": "1970-01-01T00:00:00Z", "created_by": "cds-archive.py",
                                                 "comment": "class-data sharing archive"})
        config_bytes = json.dumps(config).encode()
        config_name = hashlib.sha256(config_bytes).hexdigest() + ".json"
        del members[manifest[0]["Config"]]
        members[config_name] = config_bytes
        members[f"{hashlib.sha256(compressed).hexdigest()}.tar.gz"] = compressed
        manifest[0]["Config"] = config_name
        manifest[0]["Layers"].append(f"{hashlib.sha256(compressed).hexdigest()}.tar.gz")
        members["manifest.json"] = json.dumps(manifest).encode()
        with tarfile.open(image_tar + ".new", "w") as out:
            for name, content in members.items():
                info = tarfile.TarInfo(name)
                info.size = len(content)
                out.addfile(info, io.BytesIO(content))
        os.replace(image_tar + ".new", image_tar)
        med = {k: sorted(v)[2] for k, v in times.items()}
        print(f"class-data sharing archive {len(data) / 2**20:.1f} MiB; JVM start to listening in the image's JRE"
              f" (median of 5): {med['without']:.0f} ms without, {med['with']:.0f} ms with it;"
              f" load {os.getloadavg()[0]:.1f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
