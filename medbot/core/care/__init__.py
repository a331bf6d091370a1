"""The people around a patient: caregivers who are told of missed doses and may look at the
schedule. Pure: invitations, links, escalation timing and their button data.

The patient's record holds every link, and the patient's step alone decides what a caregiver
may see or do. A caregiver's record keeps only a copy (`User.caring_for`) to show them whom
they help. Every request from a caregiver travels to the patient's actor and is checked there.
"""
