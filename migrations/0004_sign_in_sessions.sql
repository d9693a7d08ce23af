-- Server-side sign-in sessions for staff and the Working Group, so that signing out ends them.
-- WITHOUT ROWID, STRICT added by hand.
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`token_id` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`token_id`) REFERENCES `tokens`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID, STRICT;
