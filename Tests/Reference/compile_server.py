"""
Runs `inmanta compile` many times without paying Python's start-up and inmanta's imports each
time (about 1 s of the 1.5 s a compile takes): imports inmanta.app once, then forks a child per
request that runs the very entry point `inmanta compile` runs (inmanta.app.app) in the request's
folder, with the request's environment and arguments. Nothing of the git-ops module or of the
project is imported before the fork, so each compile reads INMANTA_GIT_OPS_COMPILE_MODE and
loads the project's modules afresh, exactly like a separate `inmanta compile` process.

Protocol, one JSON object per line: request {"cwd", "env", "args", "stdout", "stderr"} on stdin
(stdout and stderr are file paths the child writes its output to), reply {"exit_status"} on
stdout. Started by refharness.CompileServer; set SLICELS_REFERENCE_FORK=0 to run plain
subprocesses instead.
"""

import json
import os
import sys
import traceback

import inmanta.app  # noqa: F401  (the expensive import, shared by every compile)


def run_child(request: dict) -> int:
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    for fd, path in ((1, request["stdout"]), (2, request["stderr"])):
        target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(target, fd)
        os.close(target)
    sys.argv = ["inmanta", *request["args"]]
    try:
        inmanta.app.app()
        return 0
    except SystemExit as exit_request:
        code = exit_request.code
        if code is None:
            return 0
        return code if isinstance(code, int) else 1
    except BaseException:
        traceback.print_exc()
        return 1


def main() -> None:
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = run_child(request)
            finally:
                try:
                    sys.stdout.flush()
                    sys.stderr.flush()
                finally:
                    os._exit(code)
        _, status = os.waitpid(pid, 0)
        reply = {"exit_status": os.waitstatus_to_exitcode(status)}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
