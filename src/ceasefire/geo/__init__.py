"""Geometry on the ellipsoid: projections, distances to lines, sides, admin units, areas."""
