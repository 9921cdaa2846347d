// charts: written by the portal module
