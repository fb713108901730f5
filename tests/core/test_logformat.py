"""Structured logs (issue #7 point 4): one JSON object per line, with personal data masked before it is written."""

import io
import json
import logging

from jiceng.core.logformat import JsonFormatter
from jiceng.core.masking import PersonalDataLogFilter


def _logged(message: str, *args, **extra) -> dict:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(PersonalDataLogFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("jiceng.test.json")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning(message, *args, extra=extra)
    finally:
        logger.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    return json.loads(lines[0])


def test_a_line_is_json_with_the_personal_data_masked():
    entry = _logged("导入失败：%s 电话 %s", "110101199003071234", "13912345678")
    assert entry["level"] == "WARNING" and entry["logger"] == "jiceng.test.json"
    assert "110101199003071234" not in entry["message"] and "13912345678" not in entry["message"]
    assert "1101**********1234" in entry["message"] and "139****5678" in entry["message"]
    assert entry["time"].endswith("+00:00")


def test_a_request_line_carries_method_path_and_status(rf):
    entry = _logged("Not Found: %s", "/people/110101199003071234/", request=rf.get("/people/110101199003071234/"),
                    status_code=404)
    assert entry["method"] == "GET" and entry["status"] == 404
    assert "110101199003071234" not in json.dumps(entry, ensure_ascii=False)
