"""Forked children and pool workers that leave Ctrl-C to the parent."""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import signal


def in_child(function, *args):
    """Run ``function(*args)`` in a forked child; return a callable that waits for its result."""
    fork = multiprocessing.get_context("fork")
    receive, send = fork.Pipe(duplex=False)
    child = fork.Process(target=run_child, args=(_send_result, send, function, args), daemon=True)
    child.start()
    send.close()

    def result():
        try:
            data = receive.recv_bytes()
        except EOFError:
            raise RuntimeError(f"the {function.__name__} process failed") from None
        finally:
            receive.close()
            child.join()
        return pickle.loads(data)

    return result


def _send_result(send, function, args) -> None:
    send.send_bytes(pickle.dumps(function(*args), pickle.HIGHEST_PROTOCOL))


def _leave_interrupts() -> None:
    """In a child process: leave Ctrl-C to the parent, which stops its children itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def run_child(function, *args) -> None:
    """A forked child's life: ``function(*args)``, then exit 0, or 1 with the traceback.

    ``os._exit``: the parent's exit handlers (copied by the fork) are not the child's.
    """
    _leave_interrupts()
    code = 0
    try:
        function(*args)
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    os._exit(code)


def pool_worker() -> None:
    _leave_interrupts()
    gc.disable()  # the workers make no reference cycles: reference counting frees all
