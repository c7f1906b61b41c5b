-- What a running sigap reloads when another process changed it (the
-- indicators imported or expired through another node, or the command
-- line): a number bumped in the transaction of the change, read by each
-- node's detection once a second (src/app/change_marks.c).
-- A name without a row has not changed yet (0).
CREATE TABLE change_marks (
	name TEXT PRIMARY KEY,
	gen INTEGER NOT NULL
);
