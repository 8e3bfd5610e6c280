"""Pictures and reports of analyses and sessions, for a person to keep (matplotlib; never pygame).

Modules are imported by name (e.g. :mod:`clinic.reports.analysis_plot`): importing this package loads no plotting
library.
"""
