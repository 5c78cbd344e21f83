-- Organization facts (roles, qualification, manufacturer codes) are log entries now (docs/record-format.md §5.1).
-- 'org_facts' counts their appends, so a log transaction that read organizations before taking the lock can tell
-- whether a fact was logged in between and read them again.
INSERT INTO log_state (name, counter) VALUES ('org_facts', 0);
