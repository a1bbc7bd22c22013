"""What people do with assets and stock (issue 7). One module per concern.

Import from the concern's module (``from bilgiislem.assets.services.register import
asset_register``): a package that re-exported them all would tie every import to every module.
"""
