"""What people do at the service desk (issue 6). One module per concern.

Import from the concern's module (``from bilgiislem.servicedesk.services.tickets import
ticket_create``): the modules call each other's hooks (tickets → sla, notify, stats), and a
package that re-exported them all would tie every import to every module.
"""
