import logging


class PersonalDataLogFilter(logging.Filter):
    def filter(self, record):
        return True
