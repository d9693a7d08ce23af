-- The questions a theme concerns (issue 13, item 8): the meeting brief shows their released,
-- overall figures beside the theme. JSON array of question ids, chosen by the Working Group;
-- NULL while none is chosen, when the brief takes the questions whose wording matches the
-- theme's keywords.
ALTER TABLE `themes` ADD `questions` text;
