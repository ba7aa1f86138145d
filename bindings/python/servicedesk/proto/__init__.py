"""Generated servicedesk.v1 protobuf modules (protoc --python_out)."""
