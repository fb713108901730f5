"""One JSON object per log line (`JICENG_LOG_FORMAT=json`), for a log collector to index: time, level, logger,
message and, for a request, its method, path and status. The masking filter runs before this formatter, so the
message is already free of ID numbers, phone numbers and ballot codes; tracebacks go under "exception"."""

from __future__ import annotations

import datetime
import json
import logging

from .masking import mask_ballot_codes, mask_text


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            entry["method"], entry["path"] = request.method, mask_ballot_codes(mask_text(request.path))
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
