-- The counter that V9 added for organization facts now counts every change a write is checked against
-- before the log lock: organization facts, keys and API tokens (server facts/FactsCache).
UPDATE log_state SET name = 'write_facts' WHERE name = 'org_facts';
