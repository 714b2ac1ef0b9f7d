"""What is collected: the form (items, measures, rules), the campaign around it (who collects, who
reports, dates, contact), the built-in 2023 campaign, campaign files and their Chinese errors,
the explicit bounds of a campaign, the identity every written workbook carries, and where things
are in the sheets jc315 writes (layout). Pure data: no file is opened here but a campaign file.

May import: problems.
"""
