"""Runs a language server (argv[2:]) between an editor and itself, appending every byte the
editor sends to the file argv[1] before passing it on: what the editor told the server."""

import subprocess
import sys
import threading


def main():
    log_path, command = sys.argv[1], sys.argv[2:]
    server = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=sys.stdout.buffer)

    def forward_editor_messages():
        with open(log_path, "ab", buffering=0) as log:
            while True:
                chunk = sys.stdin.buffer.read1(65536)
                if not chunk:
                    break
                log.write(chunk)
                server.stdin.write(chunk)
                server.stdin.flush()
        server.stdin.close()

    threading.Thread(target=forward_editor_messages, daemon=True).start()
    sys.exit(server.wait())


if __name__ == "__main__":
    main()
