"""The root conftest.py defers nbval's formatting of kernel messages until a debug record is
written: the patch must still apply (an nbval upgrade could rename what it replaces), and the
debug record that nbval's own code writes must read as before."""

from __future__ import annotations

import logging
import pprint
from types import SimpleNamespace

import nbval.kernel
import pytest


def test_nbval_formats_kernel_messages_only_when_logged(caplog: pytest.LogCaptureFixture) -> None:
    assert nbval.kernel.pformat is not pprint.pformat, "conftest.py's patch no longer applies"
    message = {"header": {"msg_type": "stream"}, "content": {"text": "x" * 120}}
    kernel = SimpleNamespace(kc=SimpleNamespace(get_iopub_msg=lambda timeout: message))
    with caplog.at_level(logging.DEBUG, logger="nbval"):
        assert nbval.kernel.RunningKernel.get_message(kernel, stream="iopub") is message
    assert caplog.messages == [f"Kernel message (iopub):\n{pprint.pformat(message)}"]
