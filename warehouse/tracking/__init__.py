"""Tracking (issue 5): where every box is, moves between shelves and stores, check-outs, disposal, history.

state.py holds the pure rules for a box's state and last-known place; places.py loads them (and
applies a closed stock-take's places); moves, transfers, checkouts and disposal are the use cases;
sightings.py is what the scan pipeline calls after each stored batch; history.py the timeline;
search.py finding boxes and files by state and place; facts.py what alert rules will need."""
