"""The grasp and release family: reach a ball, close the hand to pick it up, carry it, open the hand in the goal."""
