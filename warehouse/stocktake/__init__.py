"""Stock-takes (kiểm kê): pure classification, the session service, progress, exports and comparison."""
