-- Release snapshots and the aggregation job's lease. STRICT added by hand (drizzle cannot express it).
CREATE TABLE `job_locks` (
	`name` text PRIMARY KEY NOT NULL,
	`holder` text NOT NULL,
	`expires_at` integer NOT NULL
) STRICT;
--> statement-breakpoint
CREATE TABLE `releases` (
	`id` integer PRIMARY KEY NOT NULL,
	`survey_id` integer NOT NULL,
	`released_on` text NOT NULL,
	`final` integer NOT NULL,
	`content` text NOT NULL,
	`state` text,
	FOREIGN KEY (`survey_id`) REFERENCES `surveys`(`id`) ON UPDATE no action ON DELETE cascade
) STRICT;
--> statement-breakpoint
CREATE INDEX `releases_survey_idx` ON `releases` (`survey_id`,`id`);