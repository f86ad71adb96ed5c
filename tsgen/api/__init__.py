"""The API a package offers Python callers: recorded (snapshot), compared (compare), reported (report)."""
