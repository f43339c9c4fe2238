"""Tests of jdkit.checks."""

# The rule families these tests cover; jobposting, posting and roles are tested by their owners.
OURS = [
    "completeness",
    "specificity",
    "qualifications",
    "reporting",
    "metrics",
    "pay",
    "compliance",
    "review",
    "inclusive",
    "readability",
]
