-- PATCH /api/comments/:id finds a comment by its id alone: without this index, every edit scanned the table.
CREATE INDEX `comments_id_idx` ON `comments` (`id`);