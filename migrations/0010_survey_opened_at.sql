-- The rounds of a series are its surveys in the order they opened (SPEC §13). The moment a survey
-- opened is a staff action on the survey, never anything of a partner's. Surveys opened before
-- this migration keep NULL and come first, in the order they were created.
ALTER TABLE `surveys` ADD `opened_at` text;
