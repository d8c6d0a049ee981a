"""Labelling: what box and location labels say, which labels a print run makes, the runs themselves
(audited, recorded per box for its timeline) and the EPCs RFID runs give boxes. Rendering is left to
the faces, which hand the plain LabelText values to the labels/ leaf."""
