"""The HTML front door: login, the dashboard, area pages, the explorer page, /docs; their static files and CSP."""
