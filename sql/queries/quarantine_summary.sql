-- quarantine_summary: per log file, how many lines were quarantined and the first reason, most first.
-- kind: query
SELECT file, count(*) AS lines, min(line) AS first_line, arg_min(reason, line) AS first_reason
FROM quarantine
GROUP BY file
ORDER BY lines DESC, file
