"""For teachers: submissions (folders, zips, git refs, notebooks), grading one or a class, assignments,
reports in every format (render/) and student releases (release/)."""
